// Package safetensors reads and writes the safetensors format of Hugging
// Face (https://github.com/huggingface/safetensors), the format PyTorch's
// safetensors.torch.save_file and most model hubs use for weights.
//
// A file is an 8-byte little-endian u64 N, then N bytes of UTF-8 JSON
//
//	{"__metadata__": {str: str}, NAME: {"dtype": "F32", "shape": [d0, d1, …], "data_offsets": [begin, end]}, …}
//
// (possibly padded with trailing spaces), then the raw little-endian tensor
// data; data_offsets are relative to the end of the header.
//
// The reader is strict, as the reference implementation is, and allocates
// nothing a hostile file could inflate: the header length is bounded
// (MaxHeaderSize, and the bytes the file holds) before the header is read;
// every tensor's byte count must equal dtype size × product(shape), computed
// without overflow; the tensors must tile the data section exactly (sorted
// by offset, no gap, no overlap, nothing left over); names may not repeat;
// unknown dtypes and unknown keys are refused. Errors are one line that
// names the file and the tensor, e.g.
//
//	safetensors: model.safetensors: tensor "0.weight": shape [16 1 3 3] (F32) needs 576 bytes, data_offsets [0 512] give 512
//
// The writer is deterministic and lays a file out as the reference does:
// tensors ordered by dtype size (largest first), then by name, so every
// tensor's data is aligned to its element size, and the header padded with
// spaces to a multiple of 8 bytes.
//
// Why not github.com/nlpodyssey/safetensors: it bounds the header and
// checks offsets and byte counts, and a minute of fuzzing found no panic,
// but it silently keeps the last of two tensors with the same name (JSON
// duplicate keys), cannot build a scalar tensor (shape [], which torch uses
// for BatchNorm's num_batches_tracked: NewTensorView counts 0 elements),
// needs the whole file in memory, and its errors name neither the numbers
// nor, for byte-count mismatches, the tensor ("metadata validation error:
// info data offsets mismatch").
package safetensors
