/** Public API of the protocol decoders (see README, "Decoders, export and import"). */
export type { DecodeFrame, DecodeState, Decoded, Decoder, DetectContext, FieldValue, Pairing as PairingKey } from './types';
export { BUILTIN_DECODERS, DecoderRegistry, isHeartbeat, plainDecoder, safeDecode, type Ranked } from './registry';
export {
  chooseDecoder, connectionInfo, decodeConnection, decodeFrames, DecodingSession, detectContext, DETECT_FRAMES,
  toDecodeFrame, type Choice, type ConnectionInfo,
} from './session';
export { PairTracker, pairFrames, type Pair, type PairInput, type Pairing } from './pairing';
export { protobufSchemaDecoder, type SchemaResult } from './protobuf-schema';
