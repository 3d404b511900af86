export * from './unique';
export * from './wait';
export * from './endpoints';
export * from './tcp-proxy';
export * from './openapi.contract';
export * from './test-auth';
export * from './service.process';
export * from './bench.figures';
