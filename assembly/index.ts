export * from './gemm';
export * from './ops';
export * from './cnn';
export * from './cnnOps';
