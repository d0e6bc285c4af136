export * from './gemm';
export * from './ops';
export * from './cnn';
