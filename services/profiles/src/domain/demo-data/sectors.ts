import type { NeedOfferType, Province, S3Area, Specialty } from '@lm/contracts';

/** One need/offer template, written in both languages; the generator picks one per item. */
export interface ItemTemplate {
  type: NeedOfferType;
  it: [title: string, text: string];
  en: [title: string, text: string];
  keywords: string[];
  trl?: [number, number];
}

export interface Sector {
  key: string;
  s3Areas: S3Area[];
  specialties: Specialty[];
  /** Name roots for generated companies. */
  roots: string[];
  provinces: Exclude<Province, 'OUT'>[];
  it: string;
  en: string;
  needs: ItemTemplate[];
  offers: ItemTemplate[];
  weight: number;
}

const T = (type: NeedOfferType, it: [string, string], en: [string, string], keywords: string[], trl?: [number, number]): ItemTemplate => ({
  type,
  it,
  en,
  keywords,
  ...(trl ? { trl } : {}),
});

const common = {
  funding: T(
    'funding',
    ['Round di investimento', 'Cerchiamo investitori per il prossimo round, con esperienza nel settore e rete internazionale.'],
    ['Equity round', 'We are raising our next round and look for investors with sector experience and an international network.'],
    ['venture capital', 'equity', 'round'],
  ),
  talent: T(
    'talent',
    ['Giovani ricercatori e tirocini', 'Cerchiamo laureati STEM per apprendistato di alta formazione e tirocini (bando Competenze & Innovazione).'],
    ['Graduates and internships', 'We look for STEM graduates for high-level apprenticeships and internships (Competenze & Innovazione call).'],
    ['apprenticeship', 'internship', 'skills'],
  ),
  intl: T(
    'internationalisation',
    ['Accesso ai mercati esteri', 'Partner per distribuzione e fiere B2B in Germania, Francia e Stati Uniti.'],
    ['Market access abroad', 'Distribution partners and B2B fairs in Germany, France and the United States.'],
    ['export', 'distribution', 'b2b'],
  ),
  training: T(
    'skills_training',
    ['Formazione su AI e data analytics', 'Percorsi di formazione per il personale su intelligenza artificiale, analisi dati e cybersecurity.'],
    ['Training on AI and data analytics', 'Staff training on artificial intelligence, data analytics and cybersecurity.'],
    ['training', 'ai', 'cybersecurity'],
  ),
};

export const SECTORS: Sector[] = [
  {
    key: 'pharma',
    weight: 5,
    s3Areas: ['health_life_sciences'],
    specialties: ['pharma', 'drug_discovery', 'oncology', 'immunology', 'cdmo', 'rare_diseases'],
    roots: ['Farmaceutici', 'Pharma', 'Therapeutics', 'Chimica Fine', 'Laboratori'],
    provinces: ['MI', 'MI', 'MB', 'PV', 'LO', 'VA', 'BG'],
    it: 'Azienda farmaceutica con sviluppo e produzione di principi attivi e formulazioni; attiva in oncologia e malattie rare.',
    en: 'Pharmaceutical company developing and manufacturing APIs and finished formulations, active in oncology and rare diseases.',
    needs: [
      T(
        'clinical_trials',
        ['Centri per sperimentazione di fase II', 'Cerchiamo IRCCS e centri clinici per uno studio multicentrico di fase II in oncologia.'],
        ['Phase II trial sites', 'We look for IRCCS and clinical centres for a multicentre phase II oncology study.'],
        ['phase II', 'oncology', 'multicentre'],
        [5, 7],
      ),
      T(
        'rd_collaboration',
        ['Nuovi target terapeutici', 'Collaborazione con gruppi universitari su validazione di target e modelli preclinici.'],
        ['New therapeutic targets', 'Collaboration with university groups on target validation and preclinical models.'],
        ['target validation', 'preclinical', 'drug discovery'],
        [2, 4],
      ),
      T(
        'regulatory',
        ['Supporto regolatorio EMA', 'Consulenza per dossier EMA e procedure di autorizzazione.'],
        ['EMA regulatory support', 'Advice on EMA dossiers and marketing-authorisation procedures.'],
        ['EMA', 'regulatory', 'dossier'],
      ),
    ],
    offers: [
      T(
        'manufacturing',
        ['Capacità produttiva GMP', 'Linee GMP per forme solide e sterili disponibili per conto terzi.'],
        ['GMP manufacturing capacity', 'GMP lines for solid and sterile dosage forms available for third parties.'],
        ['GMP', 'CDMO', 'sterile'],
        [7, 9],
      ),
      T(
        'tech_transfer',
        ['Licenza di molecole', 'Molecole in fase preclinica disponibili per licenza o co-sviluppo.'],
        ['Molecules for licensing', 'Preclinical molecules available for licensing or co-development.'],
        ['licensing', 'co-development'],
        [3, 5],
      ),
    ],
  },
  {
    key: 'biotech',
    weight: 6,
    s3Areas: ['health_life_sciences'],
    specialties: ['biotech', 'gene_therapy', 'cell_therapy', 'car_t', 'genomics', 'personalised_medicine', 'bioinformatics'],
    roots: ['Bio', 'Gene', 'Cell', 'Omics', 'Therapeutics', 'Biosciences'],
    provinces: ['MI', 'MI', 'MI', 'PV', 'MB', 'BS'],
    it: 'Start-up biotecnologica nata da uno spin-off universitario, con una piattaforma per terapie avanzate (terapia genica, cellulare e CAR-T).',
    en: 'Biotech start-up spun off from a university, with a platform for advanced therapies (gene, cell and CAR-T therapy).',
    needs: [
      T(
        'funding',
        ['Round seed per terapia genica', 'Cerchiamo un round seed/serie A per portare il candidato principale in clinica.'],
        ['Seed round for gene therapy', 'We are raising a seed/series A round to take our lead candidate into the clinic.'],
        ['seed', 'series a', 'gene therapy'],
        [3, 5],
      ),
      T(
        'clinical_trials',
        ['Primo studio nell’uomo', 'Cerchiamo un IRCCS per uno studio first-in-human su terapia CAR-T.'],
        ['First-in-human study', 'We look for an IRCCS to run a first-in-human CAR-T study.'],
        ['first-in-human', 'car-t', 'phase I'],
        [5, 6],
      ),
      T(
        'manufacturing',
        ['Produzione GMP di vettori virali', 'Cerchiamo una CDMO per la produzione di vettori AAV/lentivirali in GMP.'],
        ['GMP viral vector manufacturing', 'We look for a CDMO producing AAV/lentiviral vectors under GMP.'],
        ['AAV', 'lentiviral', 'CDMO'],
        [5, 7],
      ),
    ],
    offers: [
      T(
        'rd_collaboration',
        ['Piattaforma di editing genomico', 'Mettiamo a disposizione la nostra piattaforma CRISPR per progetti congiunti.'],
        ['Genome-editing platform', 'Our CRISPR platform is available for joint projects.'],
        ['crispr', 'genome editing'],
        [3, 5],
      ),
      T(
        'tech_transfer',
        ['Brevetti su biomarcatori', 'Brevetti su biomarcatori per la medicina personalizzata disponibili in licenza.'],
        ['Biomarker patents', 'Patents on biomarkers for personalised medicine available for licensing.'],
        ['biomarkers', 'patents', 'personalised medicine'],
        [3, 4],
      ),
    ],
  },
  {
    key: 'medtech',
    weight: 8,
    s3Areas: ['health_life_sciences', 'advanced_manufacturing'],
    specialties: ['medical_devices', 'in_vitro_diagnostics', 'electromedicine', 'orthopaedics', 'cardiology', 'digital_health'],
    roots: ['Medical', 'Biomedica', 'Devices', 'Diagnostics', 'Elettromedicali', 'Ortho'],
    provinces: ['MI', 'MB', 'BG', 'BS', 'VA', 'CO', 'CR', 'MN'],
    it: 'PMI di dispositivi medici: progettazione e produzione di elettromedicali, diagnostica in vitro e impianti ortopedici.',
    en: 'Medical-device SME designing and manufacturing electromedical equipment, in-vitro diagnostics and orthopaedic implants.',
    needs: [
      T(
        'clinical_trials',
        ['Validazione clinica di un dispositivo', 'Cerchiamo un centro clinico per un’indagine clinica MDR su un nuovo dispositivo cardiologico.'],
        ['Clinical validation of a device', 'We look for a clinical centre for an MDR clinical investigation of a new cardiology device.'],
        ['MDR', 'clinical investigation', 'cardiology'],
        [6, 7],
      ),
      T(
        'regulatory',
        ['Marcatura CE secondo MDR', 'Supporto per documentazione tecnica e marcatura CE secondo il regolamento MDR.'],
        ['CE marking under MDR', 'Support for technical documentation and CE marking under the MDR.'],
        ['CE marking', 'MDR', 'notified body'],
        [6, 8],
      ),
      T(
        'pilot_site',
        ['Ospedale pilota', 'Cerchiamo un reparto ospedaliero per un pilota di telemonitoraggio.'],
        ['Pilot hospital', 'We look for a hospital ward to pilot remote monitoring.'],
        ['pilot', 'telemonitoring', 'hospital'],
        [6, 7],
      ),
    ],
    offers: [
      T(
        'manufacturing',
        ['Stampaggio e assemblaggio in camera bianca', 'Offriamo stampaggio a iniezione e assemblaggio ISO 13485 in camera bianca.'],
        ['Clean-room moulding and assembly', 'We offer ISO 13485 injection moulding and clean-room assembly.'],
        ['ISO 13485', 'clean room', 'moulding'],
        [7, 9],
      ),
      T(
        'rd_collaboration',
        ['Co-progettazione di sensori', 'Co-progettazione di sensori indossabili per monitoraggio cardiaco.'],
        ['Sensor co-design', 'Co-design of wearable sensors for cardiac monitoring.'],
        ['wearables', 'sensors', 'cardiology'],
        [4, 6],
      ),
    ],
  },
  {
    key: 'digital_health',
    weight: 5,
    s3Areas: ['health_life_sciences', 'smart_communities'],
    specialties: ['digital_health', 'telemedicine', 'artificial_intelligence', 'data_analytics', 'cybersecurity'],
    roots: ['Health', 'Care', 'MedTech Digital', 'Salute Digitale', 'TeleCare'],
    provinces: ['MI', 'MI', 'BG', 'BS', 'PV', 'CO'],
    it: 'Start-up di sanità digitale: piattaforme di telemedicina, teleassistenza e analisi dei dati clinici con intelligenza artificiale.',
    en: 'Digital-health start-up: telemedicine and telecare platforms and AI analysis of clinical data.',
    needs: [
      T(
        'pilot_site',
        ['Sperimentazione in una ASST', 'Cerchiamo una ASST o un IRCCS per sperimentare la piattaforma di telemedicina.'],
        ['Pilot in a hospital trust', 'We look for a hospital trust or IRCCS to pilot our telemedicine platform.'],
        ['telemedicine', 'pilot', 'hospital'],
        [6, 7],
      ),
      T(
        'rd_collaboration',
        ['Dati clinici per modelli AI', 'Collaborazione per addestrare modelli di AI su dati clinici anonimizzati.'],
        ['Clinical data for AI models', 'Collaboration to train AI models on anonymised clinical data.'],
        ['ai', 'clinical data', 'machine learning'],
        [3, 5],
      ),
      common.funding,
    ],
    offers: [
      T(
        'tech_transfer',
        ['Algoritmi di triage', 'Algoritmi validati di triage e stratificazione del rischio disponibili in licenza.'],
        ['Triage algorithms', 'Validated triage and risk-stratification algorithms available for licensing.'],
        ['triage', 'risk stratification'],
        [5, 7],
      ),
      common.training,
    ],
  },
  {
    key: 'manufacturing',
    weight: 9,
    s3Areas: ['advanced_manufacturing', 'eco_industry'],
    specialties: ['automation', 'robotics', 'iot', 'additive_manufacturing', 'advanced_materials', 'energy_efficiency'],
    roots: ['Meccanica', 'Automazione', 'Robotica', 'Industrie', 'Tech', 'Precision'],
    provinces: ['BS', 'BG', 'LC', 'VA', 'MB', 'CO', 'MN', 'CR'],
    it: 'Impresa manifatturiera: lavorazioni meccaniche di precisione, automazione industriale e macchine per l’industria 4.0.',
    en: 'Manufacturer of precision mechanics, industrial automation and Industry 4.0 machinery.',
    needs: [
      T(
        'rd_collaboration',
        ['Manutenzione predittiva', 'Cerchiamo un partner di ricerca per la manutenzione predittiva con IoT e AI sulle nostre linee.'],
        ['Predictive maintenance', 'We look for a research partner for IoT- and AI-based predictive maintenance on our lines.'],
        ['predictive maintenance', 'iot', 'ai'],
        [4, 6],
      ),
      T(
        'skills_training',
        ['Competenze digitali', 'Formazione del personale su automazione, IoT e cybersecurity industriale.'],
        ['Digital skills', 'Staff training on automation, IoT and industrial cybersecurity.'],
        ['industry 4.0', 'training', 'cybersecurity'],
      ),
      common.talent,
    ],
    offers: [
      T(
        'manufacturing',
        ['Lavorazioni conto terzi', 'Offriamo fresatura CNC a 5 assi e stampa 3D metallica per prototipi e piccole serie.'],
        ['Contract machining', 'We offer 5-axis CNC milling and metal 3D printing for prototypes and small series.'],
        ['cnc', 'additive manufacturing', 'prototyping'],
        [6, 9],
      ),
      T(
        'pilot_site',
        ['Linea pilota', 'La nostra linea produttiva è disponibile come sito pilota per nuove tecnologie.'],
        ['Pilot line', 'Our production line is available as a pilot site for new technologies.'],
        ['pilot line', 'test bed'],
        [5, 7],
      ),
    ],
  },
  {
    key: 'agrifood',
    weight: 6,
    s3Areas: ['agrifood', 'eco_industry'],
    specialties: ['food_technology', 'precision_agriculture', 'circular_economy', 'iot'],
    roots: ['Alimentare', 'Caseificio', 'Agritech', 'Foods', 'Agricola', 'Riso'],
    provinces: ['CR', 'MN', 'LO', 'PV', 'BS', 'SO', 'BG'],
    it: 'Azienda agroalimentare lombarda: trasformazione di latte, riso e carni, con attenzione a tracciabilità e sostenibilità.',
    en: 'Lombard agri-food company processing dairy, rice and meat, focused on traceability and sustainability.',
    needs: [
      T(
        'rd_collaboration',
        ['Valorizzazione degli scarti', 'Partner per trasformare siero e scarti di lavorazione in ingredienti (economia circolare).'],
        ['Upcycling by-products', 'Partners to turn whey and processing by-products into ingredients (circular economy).'],
        ['circular economy', 'by-products', 'whey'],
        [3, 6],
      ),
      T(
        'pilot_site',
        ['Agricoltura di precisione', 'Cerchiamo soluzioni di agricoltura di precisione da sperimentare nei nostri campi.'],
        ['Precision farming', 'We look for precision-farming solutions to test in our fields.'],
        ['precision agriculture', 'sensors', 'drones'],
        [5, 7],
      ),
      common.intl,
    ],
    offers: [
      T(
        'pilot_site',
        ['Impianto per test', 'Il nostro impianto di trasformazione è disponibile per test di nuove tecnologie alimentari.'],
        ['Plant for trials', 'Our processing plant is available for trials of new food technologies.'],
        ['food technology', 'trials'],
        [5, 8],
      ),
    ],
  },
  {
    key: 'mobility',
    weight: 4,
    s3Areas: ['sustainable_mobility', 'smart_communities'],
    specialties: ['electric_mobility', 'logistics', 'iot', 'energy_efficiency', 'smart_city'],
    roots: ['Mobility', 'E-Drive', 'Logistica', 'Trasporti', 'Charge'],
    provinces: ['MI', 'MB', 'BG', 'BS', 'VA', 'LO'],
    it: 'Soluzioni per la mobilità sostenibile: ricarica di veicoli elettrici, logistica urbana e gestione delle flotte.',
    en: 'Sustainable-mobility solutions: EV charging, urban logistics and fleet management.',
    needs: [
      T(
        'pilot_site',
        ['Comune per sperimentazione', 'Cerchiamo un comune lombardo per sperimentare la logistica urbana a emissioni zero.'],
        ['Municipality for a pilot', 'We look for a Lombard municipality to pilot zero-emission urban logistics.'],
        ['urban logistics', 'pilot', 'zero emission'],
        [6, 7],
      ),
      common.funding,
    ],
    offers: [
      T(
        'tech_transfer',
        ['Software di ottimizzazione flotte', 'Software di ottimizzazione delle flotte elettriche disponibile in licenza.'],
        ['Fleet optimisation software', 'Electric-fleet optimisation software available for licensing.'],
        ['fleet', 'optimisation', 'ev'],
        [6, 8],
      ),
    ],
  },
  {
    key: 'aerospace',
    weight: 3,
    s3Areas: ['aerospace', 'advanced_manufacturing'],
    specialties: ['space_technologies', 'advanced_materials', 'additive_manufacturing', 'robotics'],
    roots: ['Aerospace', 'Avionica', 'Space', 'Aero', 'Compositi'],
    provinces: ['VA', 'VA', 'MI', 'BG', 'CO'],
    it: 'Fornitore aerospaziale della filiera varesina: componenti in composito, avionica e tecnologie per piccoli satelliti.',
    en: 'Aerospace supplier in the Varese supply chain: composite parts, avionics and small-satellite technologies.',
    needs: [
      T(
        'rd_collaboration',
        ['Materiali compositi avanzati', 'Ricerca congiunta su compositi termoplastici riciclabili per strutture aeronautiche.'],
        ['Advanced composites', 'Joint research on recyclable thermoplastic composites for aircraft structures.'],
        ['composites', 'thermoplastics', 'recycling'],
        [3, 5],
      ),
      common.talent,
    ],
    offers: [
      T(
        'manufacturing',
        ['Produzione certificata EN 9100', 'Produzione di componenti aerospaziali certificata EN 9100.'],
        ['EN 9100 manufacturing', 'EN 9100-certified production of aerospace components.'],
        ['EN 9100', 'aerospace', 'components'],
        [7, 9],
      ),
    ],
  },
  {
    key: 'greentech',
    weight: 4,
    s3Areas: ['eco_industry', 'smart_communities'],
    specialties: ['circular_economy', 'energy_efficiency', 'esg', 'iot', 'data_analytics'],
    roots: ['Green', 'Energia', 'Ambiente', 'Circular', 'Eco'],
    provinces: ['MI', 'BS', 'BG', 'MB', 'CO', 'LC'],
    it: 'Tecnologie per l’eco-industria: efficienza energetica, recupero di materiali e rendicontazione ESG.',
    en: 'Eco-industry technologies: energy efficiency, material recovery and ESG reporting.',
    needs: [
      T(
        'pilot_site',
        ['Siti industriali per efficienza energetica', 'Cerchiamo PMI manifatturiere dove installare il nostro sistema di monitoraggio energetico.'],
        ['Industrial sites for energy efficiency', 'We look for manufacturing SMEs to host our energy-monitoring system.'],
        ['energy efficiency', 'monitoring', 'sme'],
        [6, 7],
      ),
      common.funding,
    ],
    offers: [
      T(
        'skills_training',
        ['Percorsi ESG per PMI', 'Formazione e modelli per la rendicontazione ESG delle PMI.'],
        ['ESG programmes for SMEs', 'Training and models for SME ESG reporting.'],
        ['esg', 'reporting', 'sustainability'],
      ),
      T(
        'tech_transfer',
        ['Recupero di metalli', 'Processo brevettato di recupero di metalli da RAEE.'],
        ['Metal recovery', 'Patented process recovering metals from e-waste.'],
        ['e-waste', 'recovery', 'circular economy'],
        [5, 7],
      ),
    ],
  },
  {
    key: 'creative',
    weight: 2,
    s3Areas: ['creative_cultural', 'smart_communities'],
    specialties: ['design', 'cultural_heritage', 'artificial_intelligence'],
    roots: ['Design', 'Studio', 'Heritage', 'Media', 'Lab'],
    provinces: ['MI', 'MI', 'CO', 'MN', 'BG'],
    it: 'Impresa creativa: design di prodotto, valorizzazione del patrimonio culturale e contenuti digitali immersivi.',
    en: 'Creative company: product design, cultural-heritage valorisation and immersive digital content.',
    needs: [
      T(
        'rd_collaboration',
        ['Realtà aumentata per musei', 'Partner tecnologico per percorsi museali in realtà aumentata.'],
        ['Augmented reality for museums', 'A technology partner for augmented-reality museum tours.'],
        ['augmented reality', 'museums'],
        [4, 6],
      ),
      common.intl,
    ],
    offers: [
      T(
        'rd_collaboration',
        ['Design dei servizi', 'Metodi di design thinking per progetti di innovazione.'],
        ['Service design', 'Design-thinking methods for innovation projects.'],
        ['design thinking', 'service design'],
      ),
    ],
  },
];
