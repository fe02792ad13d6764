module.exports = { ...require('../../jest.preset.js'), displayName: 'service-desk', rootDir: __dirname };
