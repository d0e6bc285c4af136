import onnxProto from 'onnx-proto';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { BatchNorm1d, Conv1d, Linear, MaxPool1d, Residual, type Layer } from './layers.js';
import type { Network } from './network.js';

const { onnx } = onnxProto;

/**
 * ONNX export of a trained network for inference (opset 13): Conv, BatchNormalization, Relu,
 * MaxPool, Flatten, Gemm and Add; dropout is the identity at inference and is left out. Input
 * "input" is float32 [batch, channels, length], output "output" [batch, outputs]. The protobuf
 * messages come from the onnx-proto package (ONNX's own schema, compiled by protobufjs).
 */
export function exportOnnx(net: Network): Uint8Array {
  const nodes: onnxProto.onnx.INodeProto[] = [];
  const initializers: onnxProto.onnx.ITensorProto[] = [];
  let counter = 0;
  const fresh = (base: string): string => `${base}_${counter++}`;
  const tensor = (name: string, values: ArrayLike<number>, dims: number[]): string => {
    const data = Float32Array.from(values);
    initializers.push({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(data.buffer) });
    return name;
  };
  const ints = (name: string, values: number[]): onnxProto.onnx.IAttributeProto => ({ name, ints: values, type: onnx.AttributeProto.AttributeType.INTS });
  const node = (opType: string, inputs: string[], attributes: onnxProto.onnx.IAttributeProto[] = []): string => {
    const output = fresh(opType.toLowerCase());
    nodes.push({ opType, input: inputs, output: [output], attribute: attributes, name: output });
    return output;
  };
  const emit = (layer: Layer, x: string): string => {
    if (layer instanceof Conv1d) {
      const inputs = [x, tensor(`${layer.name}.weight`, layer.weight.value, layer.weight.shape)];
      if (layer.bias) inputs.push(tensor(`${layer.name}.bias`, layer.bias.value, layer.bias.shape));
      return node('Conv', inputs, [ints('kernel_shape', [layer.kernel]), ints('strides', [layer.stride]), ints('pads', [layer.padding, layer.padding]), ints('dilations', [1])]);
    }
    if (layer instanceof BatchNorm1d) {
      const c = [layer.channels];
      return node(
        'BatchNormalization',
        [x, tensor(`${layer.name}.weight`, layer.weight.value, c), tensor(`${layer.name}.bias`, layer.bias.value, c), tensor(`${layer.name}.running_mean`, layer.runningMean.value, c), tensor(`${layer.name}.running_var`, layer.runningVar.value, c)],
        [{ name: 'epsilon', f: layer.eps, type: onnx.AttributeProto.AttributeType.FLOAT }],
      );
    }
    if (layer instanceof MaxPool1d) return node('MaxPool', [x], [ints('kernel_shape', [layer.kernel]), ints('strides', [layer.stride])]);
    if (layer instanceof Linear) {
      const inputs = [x, tensor(`${layer.name}.weight`, layer.weight.value, layer.weight.shape)];
      if (layer.bias) inputs.push(tensor(`${layer.name}.bias`, layer.bias.value, layer.bias.shape));
      return node('Gemm', inputs, [{ name: 'transB', i: 1, type: onnx.AttributeProto.AttributeType.INT }]);
    }
    if (layer instanceof Residual) {
      let h = x;
      for (const l of layer.main) h = emit(l, h);
      let s = x;
      for (const l of layer.shortcut) s = emit(l, s);
      return node('Relu', [node('Add', [h, s])]);
    }
    switch (layer.kind) {
      case 'relu':
        return node('Relu', [x]);
      case 'flatten':
        return node('Flatten', [x], [{ name: 'axis', i: 1, type: onnx.AttributeProto.AttributeType.INT }]);
      case 'dropout':
        return x;
      default:
        throw new Error(`ONNX export: layer kind ${layer.kind} is not supported`);
    }
  };
  let h = 'input';
  for (const layer of net.layers) h = emit(layer, h);
  nodes.push({ opType: 'Identity', input: [h], output: ['output'], name: 'output' });
  const valueInfo = (name: string, dims: Array<number | string>): onnxProto.onnx.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'spramnet',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'spramnet',
      node: nodes,
      initializer: initializers,
      input: [valueInfo('input', ['batch', ...net.inputShape])],
      output: [valueInfo('output', ['batch', ...net.outputShape])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

export function saveOnnx(file: string, net: Network): void {
  writeFileAtomic(file, exportOnnx(net));
}
