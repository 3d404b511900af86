// Browser tests: the compiled services and console on the real engines, driven in Chromium.
module.exports = require('../../jest.preset')(__dirname, { engines: ['kafka', 'mongo', 'elasticsearch'] });
