export * from './gemm';
export * from './ops';
