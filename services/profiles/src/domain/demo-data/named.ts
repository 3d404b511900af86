import type { InvestmentStage, OrganisationSubtype, Province, S3Area, Specialty } from '@lm/contracts';

/** Hand-written anchors of the ecosystem (named in ../shared/domain.md or plausible for it). */
export interface NamedOrg {
  slug: string;
  kind: 'research_centre' | 'intermediary' | 'investor';
  subtype: OrganisationSubtype;
  name: string;
  province: Exclude<Province, 'OUT'>;
  city?: number;
  s3Areas: S3Area[];
  specialties: Specialty[];
  it: string;
  en: string;
  foundedYear?: number;
  investor?: { stages: InvestmentStage[]; ticket: [number, number]; geography?: Province[] };
}

const U = (slug: string, name: string, province: NamedOrg['province'], s3Areas: S3Area[], specialties: Specialty[], it: string, en: string, foundedYear: number): NamedOrg => ({ slug, kind: 'research_centre', subtype: 'university', name, province, s3Areas, specialties, it, en, foundedYear });
const I = (slug: string, name: string, province: NamedOrg['province'], specialties: Specialty[], it: string, en: string, city = 0): NamedOrg => ({ slug, kind: 'research_centre', subtype: 'irccs', name, province, city, s3Areas: ['health_life_sciences'], specialties, it, en });

export const UNIVERSITIES: NamedOrg[] = [
  U('unimi', 'Università degli Studi di Milano (La Statale)', 'MI', ['health_life_sciences', 'agrifood'], ['molecular_medicine', 'pharma', 'genomics', 'food_technology'], 'Ateneo generalista con facoltà di medicina, farmacia, scienze agrarie e alimentari.', 'Comprehensive university with medicine, pharmacy, agricultural and food sciences.', 1924),
  U('polimi', 'Politecnico di Milano', 'MI', ['advanced_manufacturing', 'aerospace', 'sustainable_mobility', 'smart_communities'], ['automation', 'robotics', 'artificial_intelligence', 'advanced_materials', 'space_technologies'], 'Università tecnica: ingegneria, architettura e design; capofila del competence center MADE.', 'Technical university for engineering, architecture and design; lead partner of the MADE competence centre.', 1863),
  U('bocconi', 'Università Commerciale Luigi Bocconi', 'MI', ['smart_communities', 'creative_cultural'], ['data_analytics', 'artificial_intelligence', 'esg'], 'Università di economia, management e data science; ospita l’acceleratore B4i.', 'University of economics, management and data science; home of the B4i accelerator.', 1902),
  U('unicatt', 'Università Cattolica del Sacro Cuore', 'MI', ['agrifood', 'health_life_sciences'], ['food_technology', 'precision_agriculture', 'digital_health'], 'Ateneo con sedi a Milano, Brescia, Cremona e Piacenza; forte in agroalimentare.', 'University with campuses in Milan, Brescia, Cremona and Piacenza; strong in agri-food.', 1921),
  U('unimib', 'Università degli Studi di Milano-Bicocca', 'MI', ['health_life_sciences', 'eco_industry'], ['bioinformatics', 'advanced_materials', 'data_analytics'], 'Università di ricerca su medicina, scienza dei materiali e data science.', 'Research university in medicine, materials science and data science.', 1998),
  U('unipv', 'Università degli Studi di Pavia', 'PV', ['health_life_sciences', 'advanced_manufacturing'], ['molecular_medicine', 'electromedicine', 'neurology'], 'Ateneo storico con policlinico universitario e forte ingegneria biomedica.', 'Historic university with a teaching hospital and strong biomedical engineering.', 1361),
  U('unisr', 'Università Vita-Salute San Raffaele', 'MI', ['health_life_sciences'], ['gene_therapy', 'cell_therapy', 'molecular_medicine', 'neurology'], 'Università di medicina, psicologia e filosofia integrata con l’ospedale San Raffaele.', 'University of medicine, psychology and philosophy integrated with San Raffaele hospital.', 1996),
  U('hunimed', 'Humanitas University', 'MI', ['health_life_sciences'], ['immunology', 'oncology', 'digital_health'], 'Università internazionale di medicina a Pieve Emanuele, accanto all’IRCCS Humanitas.', 'International medical university in Pieve Emanuele next to the Humanitas IRCCS.', 2014),
  U('unibg', 'Università degli Studi di Bergamo', 'BG', ['advanced_manufacturing'], ['automation', 'iot'], 'Ateneo con ingegneria gestionale e meccanica; partner di MADE.', 'University with management and mechanical engineering; MADE partner.', 1968),
  U('unibs', 'Università degli Studi di Brescia', 'BS', ['advanced_manufacturing', 'health_life_sciences'], ['robotics', 'additive_manufacturing', 'medical_devices'], 'Ateneo con ingegneria meccanica e medicina; partner di MADE.', 'University with mechanical engineering and medicine; MADE partner.', 1982),
];

export const IRCCS: NamedOrg[] = [
  I('monzino', 'Centro Cardiologico Monzino IRCCS', 'MI', ['cardiology', 'medical_devices'], 'IRCCS monospecialistico per le malattie cardiovascolari.', 'Single-specialty IRCCS for cardiovascular disease.'),
  I('sandonato', 'IRCCS Policlinico San Donato', 'MI', ['cardiology', 'rare_diseases'], 'Cardiochirurgia e cardiologia pediatrica e dell’adulto.', 'Adult and paediatric cardiac surgery and cardiology.', 4),
  I('multimedica', 'IRCCS MultiMedica', 'MI', ['cardiology', 'digital_health'], 'Ricerca cardiovascolare e su malattie metaboliche.', 'Cardiovascular and metabolic research.', 1),
  I('int', 'Fondazione IRCCS Istituto Nazionale dei Tumori', 'MI', ['oncology', 'personalised_medicine'], 'Centro di riferimento per la cura e la ricerca oncologica.', 'Reference centre for cancer care and research.'),
  I('ieo', 'Istituto Europeo di Oncologia IRCCS', 'MI', ['oncology', 'genomics', 'car_t'], 'Oncologia clinica e sperimentale, genomica dei tumori.', 'Clinical and experimental oncology, cancer genomics.'),
  I('maugeri', 'Istituti Clinici Scientifici Maugeri IRCCS', 'PV', ['rehabilitation', 'digital_health'], 'Medicina riabilitativa e del lavoro.', 'Rehabilitation and occupational medicine.'),
  I('gnocchi', 'Fondazione Don Carlo Gnocchi IRCCS', 'MI', ['rehabilitation', 'robotics'], 'Riabilitazione neuromotoria e tecnologie assistive.', 'Neuromotor rehabilitation and assistive technology.'),
  I('medea', 'IRCCS Eugenio Medea', 'LC', ['rehabilitation', 'neurology'], 'Riabilitazione in età evolutiva.', 'Paediatric rehabilitation.', 2),
  I('villaberetta', 'IRCCS Istituto di Riabilitazione Villa Beretta', 'LC', ['rehabilitation', 'robotics'], 'Riabilitazione robotica e neuromotoria.', 'Robotic and neuromotor rehabilitation.'),
  I('besta', 'Fondazione IRCCS Istituto Neurologico Carlo Besta', 'MI', ['neurology', 'rare_diseases'], 'Neurologia, neurochirurgia e malattie neurologiche rare.', 'Neurology, neurosurgery and rare neurological diseases.'),
  I('mondino', 'IRCCS Fondazione Mondino', 'PV', ['neurology'], 'Neurologia, cefalee e disturbi del sonno.', 'Neurology, headache and sleep disorders.'),
  I('humanitas', 'IRCCS Istituto Clinico Humanitas', 'MI', ['neurology', 'immunology', 'oncology'], 'Ospedale di ricerca su immunologia, neuroscienze e oncologia.', 'Research hospital for immunology, neuroscience and oncology.', 6),
  I('sanraffaele', 'IRCCS Ospedale San Raffaele', 'MI', ['molecular_medicine', 'gene_therapy', 'cell_therapy'], 'Medicina molecolare, terapia genica e cellulare.', 'Molecular medicine, gene and cell therapy.', 2),
  I('fatebenefratelli', 'IRCCS Centro San Giovanni di Dio Fatebenefratelli', 'BS', ['psychiatry', 'neurology'], 'Psichiatria e malattie neurodegenerative.', 'Psychiatry and neurodegenerative disease.'),
  I('negri', 'Istituto di Ricerche Farmacologiche Mario Negri IRCCS', 'MI', ['rare_diseases', 'pharma', 'drug_discovery'], 'Ricerca farmacologica indipendente e malattie rare.', 'Independent pharmacological research and rare diseases.'),
  I('galeazzi', 'IRCCS Ospedale Galeazzi – Sant’Ambrogio', 'MI', ['musculoskeletal', 'orthopaedics', 'medical_devices'], 'Ortopedia e patologie muscolo-scheletriche.', 'Orthopaedics and musculoskeletal disorders.'),
  I('policlinico', 'Fondazione IRCCS Ca’ Granda Ospedale Maggiore Policlinico', 'MI', ['rare_diseases', 'genomics'], 'Policlinico universitario con ricerca traslazionale.', 'University hospital with translational research.'),
  I('auxologico', 'IRCCS Istituto Auxologico Italiano', 'MI', ['cardiology', 'neurology'], 'Ricerca su malattie cardiovascolari, metaboliche e neurologiche.', 'Research on cardiovascular, metabolic and neurological disease.'),
  I('sanmatteo', 'Fondazione IRCCS Policlinico San Matteo', 'PV', ['immunology', 'rare_diseases'], 'Policlinico con ricerca in immunologia e malattie infettive.', 'University hospital researching immunology and infectious disease.'),
];

export const HUBS: NamedOrg[] = [
  { slug: 'ht', kind: 'research_centre', subtype: 'institute', name: 'Human Technopole', province: 'MI', s3Areas: ['health_life_sciences'], specialties: ['genomics', 'bioinformatics', 'artificial_intelligence', 'personalised_medicine'], it: 'Istituto di ricerca per le scienze della vita e i big data nel MIND – Milano Innovation District.', en: 'Life-sciences and big-data research institute in MIND, the Milano Innovation District.', foundedYear: 2018 },
  { slug: 'made', kind: 'research_centre', subtype: 'competence_centre', name: 'MADE Competence Center Industria 4.0', province: 'MI', s3Areas: ['advanced_manufacturing'], specialties: ['automation', 'iot', 'cybersecurity', 'additive_manufacturing'], it: 'Competence center lombardo per l’Industria 4.0 (Politecnico di Milano con le università di Bergamo, Brescia e Pavia, 43 imprese), campus Bovisa dal 2019: orientamento, formazione e progetti di innovazione per le PMI.', en: 'Lombardy’s Industry 4.0 competence centre (Politecnico di Milano with the universities of Bergamo, Brescia and Pavia and 43 companies), Bovisa campus since 2019: orientation, training and innovation projects for SMEs.', foundedYear: 2019 },
  { slug: 'polihub', kind: 'intermediary', subtype: 'accelerator', name: 'PoliHub', province: 'MI', s3Areas: ['advanced_manufacturing', 'smart_communities', 'health_life_sciences'], specialties: ['artificial_intelligence', 'iot', 'digital_health'], it: 'Acceleratore del Politecnico di Milano che ospita oltre 100 start-up deep tech.', en: 'Politecnico di Milano’s accelerator hosting over 100 deep-tech start-ups.', foundedYear: 2000 },
  { slug: 'kmrosso', kind: 'intermediary', subtype: 'association', name: 'Kilometro Rosso Innovation District', province: 'BG', s3Areas: ['advanced_manufacturing', 'health_life_sciences'], specialties: ['robotics', 'advanced_materials', 'medical_devices'], it: 'Distretto dell’innovazione che riunisce imprese e laboratori di ricerca.', en: 'Innovation district gathering companies and research labs.' },
  { slug: 'comonext', kind: 'intermediary', subtype: 'accelerator', name: 'ComoNExT Innovation Hub', province: 'CO', city: 2, s3Areas: ['smart_communities', 'advanced_manufacturing'], specialties: ['iot', 'cybersecurity'], it: 'Parco scientifico e incubatore certificato.', en: 'Science park and certified incubator.' },
  { slug: 'tto-unimi', kind: 'intermediary', subtype: 'tech_transfer_office', name: 'Ufficio Trasferimento Tecnologico – Università di Milano', province: 'MI', s3Areas: ['health_life_sciences', 'agrifood'], specialties: ['pharma', 'biotech'], it: 'Brevetti, licenze e spin-off dell’ateneo.', en: 'Patents, licences and spin-offs of the university.' },
];

const C = (slug: string, name: string, s3: S3Area, specialties: Specialty[], it: string, en: string): NamedOrg => ({ slug, kind: 'intermediary', subtype: 'cluster', name, province: 'MI', s3Areas: [s3], specialties, it, en });
export const CLUSTERS: NamedOrg[] = [
  C('cl-lifesciences', 'Cluster Lombardo Scienze della Vita', 'health_life_sciences', ['pharma', 'biotech', 'medical_devices'], 'Cluster tecnologico regionale delle scienze della vita.', 'Regional technology cluster for the life sciences.'),
  C('cl-afil', 'AFIL – Cluster Fabbrica Intelligente Lombardia', 'advanced_manufacturing', ['automation', 'robotics'], 'Cluster per la manifattura avanzata.', 'Cluster for advanced manufacturing.'),
  C('cl-aerospace', 'Lombardia Aerospace Cluster', 'aerospace', ['space_technologies'], 'Cluster della filiera aerospaziale lombarda.', 'Cluster of the Lombard aerospace supply chain.'),
  C('cl-agrifood', 'Cluster Agrifood Lombardia', 'agrifood', ['food_technology', 'precision_agriculture'], 'Cluster dell’agroalimentare.', 'Agri-food cluster.'),
  C('cl-mobility', 'Cluster Lombardo della Mobilità', 'sustainable_mobility', ['electric_mobility', 'logistics'], 'Cluster della mobilità sostenibile.', 'Sustainable-mobility cluster.'),
  C('cl-energy', 'Cluster Lombardo Energia e Ambiente', 'eco_industry', ['energy_efficiency', 'circular_economy'], 'Cluster di energia e ambiente.', 'Energy and environment cluster.'),
  C('cl-chem', 'Cluster Lombardo della Chimica Verde', 'eco_industry', ['circular_economy', 'advanced_materials'], 'Cluster della chimica verde e della bioeconomia.', 'Green chemistry and bio-economy cluster.'),
  C('cl-smart', 'Cluster Tecnologie per le Smart Cities & Communities', 'smart_communities', ['smart_city', 'iot'], 'Cluster per città e comunità intelligenti.', 'Cluster for smart cities and communities.'),
  C('cl-living', 'Cluster Lombardy Living – Tecnologie per gli Ambienti di Vita', 'creative_cultural', ['design', 'iot'], 'Cluster per gli ambienti di vita e il design.', 'Cluster for living environments and design.'),
];

const V = (slug: string, name: string, subtype: OrganisationSubtype, s3Areas: S3Area[], specialties: Specialty[], stages: InvestmentStage[], ticket: [number, number], it: string, en: string): NamedOrg => ({ slug, kind: 'investor', subtype, name, province: 'MI', s3Areas, specialties, it, en, investor: { stages, ticket, geography: ['MI', 'BG', 'BS', 'PV', 'MB', 'VA', 'CO'] } });
export const INVESTORS: NamedOrg[] = [
  V('finlombarda', 'Finlombarda – Fondo Innovazione Lombardia', 'public_fund', ['health_life_sciences', 'advanced_manufacturing', 'agrifood'], ['medical_devices', 'automation'], ['seed', 'series_a', 'growth'], [100_000, 3_000_000], 'Strumenti finanziari regionali per innovazione e accesso al credito delle PMI.', 'Regional financial instruments for SME innovation and access to credit.'),
  V('cdpvc', 'Fondo Nazionale Innovazione – Polo Lombardia', 'public_fund', ['health_life_sciences', 'smart_communities'], ['digital_health', 'artificial_intelligence'], ['seed', 'series_a', 'series_b'], [500_000, 10_000_000], 'Fondo pubblico di venture capital per start-up innovative.', 'Public venture-capital fund for innovative start-ups.'),
  V('brera-ls', 'Brera Life Sciences Ventures', 'vc_fund', ['health_life_sciences'], ['biotech', 'gene_therapy', 'medical_devices'], ['seed', 'series_a'], [500_000, 5_000_000], 'Fondo di venture capital dedicato a biotech e medtech.', 'Venture fund focused on biotech and medtech.'),
  V('navigli', 'Navigli Deep Tech Capital', 'vc_fund', ['advanced_manufacturing', 'aerospace'], ['robotics', 'space_technologies', 'advanced_materials'], ['seed', 'series_a'], [300_000, 3_000_000], 'Fondo deep tech per spin-off universitari.', 'Deep-tech fund for university spin-offs.'),
  V('padana-green', 'Padana Green Growth Fund', 'vc_fund', ['eco_industry', 'agrifood', 'sustainable_mobility'], ['circular_economy', 'precision_agriculture', 'electric_mobility'], ['series_a', 'series_b', 'growth'], [1_000_000, 15_000_000], 'Fondo growth per economia circolare e transizione energetica.', 'Growth fund for the circular economy and energy transition.'),
  V('lario-angels', 'Lario Business Angels', 'angel_network', ['smart_communities', 'creative_cultural', 'advanced_manufacturing'], ['iot', 'design'], ['pre_seed', 'seed'], [25_000, 300_000], 'Rete di business angel di Como e Lecco.', 'Business-angel network of Como and Lecco.'),
  V('ambrosiano-angels', 'Club Ambrosiano degli Angel Investor', 'angel_network', ['health_life_sciences', 'smart_communities'], ['digital_health', 'artificial_intelligence'], ['pre_seed', 'seed'], [50_000, 500_000], 'Business angel milanesi per start-up early stage.', 'Milan business angels for early-stage start-ups.'),
  V('pharma-cvc', 'Lombardia Pharma Corporate Ventures', 'corporate_vc', ['health_life_sciences'], ['pharma', 'drug_discovery', 'cdmo'], ['series_a', 'series_b'], [1_000_000, 8_000_000], 'Corporate venture capital di un gruppo farmaceutico lombardo.', 'Corporate venture arm of a Lombard pharmaceutical group.'),
  V('brianza-cvc', 'Brianza Industrial Ventures', 'corporate_vc', ['advanced_manufacturing'], ['automation', 'iot', 'cybersecurity'], ['seed', 'series_a'], [250_000, 2_000_000], 'Corporate VC di gruppi manifatturieri brianzoli.', 'Corporate VC of Brianza manufacturing groups.'),
  V('bergamo-seed', 'Orobie Seed Fund', 'vc_fund', ['advanced_manufacturing', 'sustainable_mobility'], ['robotics', 'electric_mobility'], ['pre_seed', 'seed'], [100_000, 1_000_000], 'Fondo seed bergamasco per start-up industriali.', 'Bergamo seed fund for industrial start-ups.'),
];
