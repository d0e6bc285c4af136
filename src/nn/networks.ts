import type { NetworkSpec } from './network.js';

/**
 * The paper's thermal network (LeNet variant, reference.py's Thermal): a vector g(r) of `length`
 * values → conv 1→64 (k3) → ReLU → max-pool 2 → linear → 50 → ReLU → linear → out.
 */
export function thermalNet(length = 100, out = 100): NetworkSpec {
  const pooled = Math.floor((length - 2) / 2);
  return {
    inputShape: [1, length],
    layers: [
      { kind: 'conv1d', name: 'c', inChannels: 1, outChannels: 64, kernel: 3, stride: 1, padding: 0, bias: true },
      { kind: 'relu', name: 'relu1' },
      { kind: 'maxpool1d', name: 'p', kernel: 2, stride: 2 },
      { kind: 'flatten', name: 'flatten' },
      { kind: 'linear', name: 'f1', inFeatures: 64 * pooled, outFeatures: 50, bias: true },
      { kind: 'relu', name: 'relu2' },
      { kind: 'linear', name: 'f2', inFeatures: 50, outFeatures: out, bias: true },
    ],
  };
}

/**
 * The paper's el-DoS network (reference.py's ElDos): conv k11 s4 p2 → 32, BN, ReLU, max-pool 3/2,
 * residual blocks 32→64 and 64→128 (stride 2), linear → 128, ReLU, dropout 0.5, linear → out.
 */
export function eldosNet(channels = 3, length = 160, out = 81): NetworkSpec {
  const conv = Math.floor((length + 4 - 11) / 4) + 1;
  const pooled = Math.floor((conv - 3) / 2) + 1;
  const down = Math.floor((pooled + 2 - 3) / 2) + 1;
  return {
    inputShape: [channels, length],
    layers: [
      { kind: 'conv1d', name: 'c1', inChannels: channels, outChannels: 32, kernel: 11, stride: 4, padding: 2, bias: true },
      { kind: 'batchnorm1d', name: 'b1', channels: 32, eps: 1e-5, momentum: 0.1 },
      { kind: 'relu', name: 'relu1' },
      { kind: 'maxpool1d', name: 'pool', kernel: 3, stride: 2 },
      { kind: 'residual', name: 'l1', inChannels: 32, outChannels: 64, stride: 1 },
      { kind: 'residual', name: 'l2', inChannels: 64, outChannels: 128, stride: 2 },
      { kind: 'flatten', name: 'flatten' },
      { kind: 'linear', name: 'f1', inFeatures: 128 * down, outFeatures: 128, bias: true },
      { kind: 'relu', name: 'relu2' },
      { kind: 'dropout', name: 'dp', p: 0.5 },
      { kind: 'linear', name: 'f2', inFeatures: 128, outFeatures: out, bias: true },
    ],
  };
}
