// Jest globalSetup for packages with integration tests: engines before any test file runs.
// process.env changes made here are inherited by the test workers.
//
// Jest runs a globalSetup module once per run even when several projects name it, and hands it
// only the first project's config. So the engines are the union over every project of the run
// (root `npm test`), or the package's own list when Jest runs inside one package.
const fs = require('fs');
const path = require('path');
const { ensureEngines } = require('./engines');

function enginesOf(config) {
  return (config && config.testEnvironmentOptions && config.testEnvironmentOptions.engines) || [];
}

function enginesOfProject(project) {
  if (typeof project !== 'string') return enginesOf(project);
  const file = fs.existsSync(project) && fs.statSync(project).isDirectory() ? path.join(project, 'jest.config.js') : project;
  return fs.existsSync(file) ? enginesOf(require(file)) : [];
}

module.exports = async (globalConfig, projectConfig) => {
  const engines = new Set([...enginesOf(projectConfig), ...(globalConfig.projects || []).flatMap(enginesOfProject)]);
  globalThis.__LM_CONTAINERS__ = [...(globalThis.__LM_CONTAINERS__ || []), ...(await ensureEngines([...engines]))];
};
