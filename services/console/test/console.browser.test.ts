import { companyAtEventJourney } from './journeys/company-event.journey';
import { companyJourney } from './journeys/company.journey';
import { hubStaffJourney } from './journeys/hub-staff.journey';
import { investorJourney } from './journeys/investor.journey';
import { consoleJourneys } from './support/console-journeys';

/**
 * The console as its users see it, in real Chromium, against the compiled services on the real
 * engines. Each journey saves screenshots (test-artifacts/<journey>/) and checks every page at
 * 1280 px and 390 px with axe-core. The journeys run in this order in one system: hub staff
 * create the event the company then takes part in (test/journeys/, one file per user).
 */
describe('the web console in Chromium', () => {
  const h = consoleJourneys();
  companyJourney(h);
  hubStaffJourney(h);
  companyAtEventJourney(h);
  investorJourney(h);
});
