export * from './unique';
export * from './wait';
export * from './endpoints';
