module.exports = require('../../jest.preset')(__dirname, { engines: ['kafka', 'mongo', 'elasticsearch'] });
