/**
 * Organisations of the whole-system scenarios (e2e and the console's browser tests): an IRCCS
 * offering clinical trials, a seed investor in medical devices and a start-up that needs both.
 */
export const irccsFixture = (legalName: string) => ({
  kind: 'research_centre',
  subtype: 'irccs',
  legalName,
  description: [{ lang: 'it', text: 'Istituto di ricovero e cura a carattere scientifico specializzato in cardiologia.' }],
  location: { province: 'MI', city: 'Milano', lat: 45.47, lon: 9.2 },
  s3Areas: ['health_life_sciences'],
  specialties: ['cardiology'],
  offers: [
    {
      type: 'clinical_trials',
      title: 'Sperimentazioni cliniche su dispositivi medici',
      text: 'Unità di sperimentazione clinica di fase II-III per dispositivi medici cardiologici.',
      lang: 'it',
      keywords: ['sperimentazioni cliniche', 'dispositivi medici'],
      s3Areas: ['health_life_sciences'],
      trl: { min: 5, max: 8 },
    },
  ],
  languages: ['it'],
});

export const investorFixture = (legalName: string) => ({
  kind: 'investor',
  subtype: 'vc_fund',
  legalName,
  location: { province: 'MI', city: 'Milano' },
  s3Areas: ['health_life_sciences'],
  specialties: ['medical_devices'],
  offers: [{ type: 'funding', title: 'Investimenti seed in dispositivi medici', lang: 'it', amountEur: { min: 250_000, max: 2_000_000 } }],
  investor: {
    stages: ['pre_seed', 'seed'],
    ticketEur: { min: 250_000, max: 2_000_000 },
    sectors: ['medical_devices', 'cardiology'],
    s3Areas: ['health_life_sciences'],
    geography: [],
  },
  languages: ['it'],
});

export const companyFixture = (legalName: string) => ({
  kind: 'company',
  subtype: 'startup',
  legalName,
  description: [{ lang: 'it', text: 'Start-up che sviluppa un dispositivo medico indossabile per il monitoraggio cardiaco.' }],
  location: { province: 'MI', city: 'Milano', lat: 45.46, lon: 9.19 },
  s3Areas: ['health_life_sciences'],
  specialties: ['medical_devices', 'cardiology'],
  stage: 'seed',
  needs: [
    {
      type: 'clinical_trials',
      title: 'Partner per la sperimentazione clinica',
      text: 'Cerchiamo un centro per la sperimentazione clinica del nostro dispositivo medico (clinical trial partner).',
      lang: 'it',
      keywords: ['sperimentazione clinica', 'clinical trial'],
      s3Areas: ['health_life_sciences'],
      trl: { min: 5, max: 7 },
    },
    { type: 'funding', title: 'Round seed', lang: 'it', amountEur: { min: 500_000, max: 1_500_000 } },
  ],
  offers: [{ type: 'pilot_site', title: 'Dati da sensori ECG indossabili', lang: 'it' }],
  languages: ['it'],
});
