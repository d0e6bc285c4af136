export * from './gemm';
export * from './ops';
export * from './krr';
export * from './cnn';
export * from './cnnOps';
export * from './sheetPairs';
export * from './coordinates';
