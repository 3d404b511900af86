// Jest globalSetup for packages with integration tests: engines before any test file runs.
// process.env changes made here are inherited by the test workers.
const { ensureEngines } = require('./engines');

module.exports = async (_globalConfig, projectConfig) => {
  const engines = (projectConfig.testEnvironmentOptions && projectConfig.testEnvironmentOptions.engines) || [];
  globalThis.__LM_CONTAINERS__ = [...(globalThis.__LM_CONTAINERS__ || []), ...(await ensureEngines(engines))];
};
