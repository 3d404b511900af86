// Root config: one run over every workspace that has tests (used by `npm test`).
const fs = require('fs');
const path = require('path');

const groups = ['libs', 'services', 'examples'];
const projects = groups.flatMap((g) =>
  fs.existsSync(path.join(__dirname, g))
    ? fs
        .readdirSync(path.join(__dirname, g))
        .map((d) => path.join(__dirname, g, d))
        .filter((d) => fs.existsSync(path.join(d, 'jest.config.js')))
    : [],
);
// The end-to-end workspace is one package, not a group of packages.
if (fs.existsSync(path.join(__dirname, 'e2e', 'jest.config.js'))) projects.push(path.join(__dirname, 'e2e'));

module.exports = { projects };
