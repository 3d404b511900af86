// Real engines for the whole system; the services themselves run as child processes of the test.
module.exports = require('../jest.preset')(__dirname, { engines: ['kafka', 'mongo', 'elasticsearch'] });
