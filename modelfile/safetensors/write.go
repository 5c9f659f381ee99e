package safetensors

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"unicode/utf8"
)

// Write writes tensors and metadata to w in the safetensors format.
//
// Float tensors (DType empty, "F16", "BF16", "F32" or "F64") are stored in
// dtype, which must be "F32" or "F64"; F32 rounds each value to nearest.
// Integer tensors (DType "I64", "I32", "U8", "BOOL", …) keep their dtype,
// so that torch's num_batches_tracked (I64, shape []) round-trips exactly;
// their values come from I64, or from F64 when I64 is nil, and each must be
// an integer in the dtype's range.
//
// The output is deterministic and laid out as the reference writer lays it
// out: tensors ordered by dtype size, largest first, then by name; the
// header holds "__metadata__" (when metadata is non-empty) and then the
// tensors in that order, padded with spaces to a multiple of 8 bytes.
//
// Write checks everything before it writes a byte: names (non-empty, not
// "__metadata__"), shapes (no negative dims), and len(F64) (or len(I64))
// against product(Shape). Errors name the tensor.
func Write(w io.Writer, tensors map[string]Tensor, metadata map[string]string, dtype string) error {
	fdt, ok := dtypes[dtype]
	if !ok || (dtype != "F32" && dtype != "F64") {
		return fmt.Errorf("safetensors: write dtype must be F32 or F64, got %q", dtype)
	}
	plan, err := layout(tensors, fdt)
	if err != nil {
		return err
	}
	head, err := headerJSON(plan, metadata)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.Write(binary.LittleEndian.AppendUint64(nil, uint64(len(head))))
	bw.Write(head)
	var buf []byte
	for _, p := range plan {
		buf = p.encode(buf[:0])
		if _, err := bw.Write(buf); err != nil {
			return fmt.Errorf("safetensors: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	return nil
}

// WriteFile writes tensors and metadata to the file at path (see Write),
// creating or truncating it.
func WriteFile(path string, tensors map[string]Tensor, metadata map[string]string, dtype string) error {
	var b bytes.Buffer
	if err := Write(&b, tensors, metadata, dtype); err != nil {
		return err
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	return nil
}

// planned is one tensor as it will be written.
type planned struct {
	name       string
	t          Tensor
	dtype      dtype
	count      int
	begin, end uint64
}

// layout checks every tensor and returns them in file order with their
// offsets.
func layout(tensors map[string]Tensor, float dtype) ([]planned, error) {
	plan := make([]planned, 0, len(tensors))
	for name, t := range tensors {
		p := planned{name: name, t: t, dtype: float}
		if t.DType != "" {
			dt, ok := dtypes[t.DType]
			if !ok {
				return nil, fmt.Errorf("safetensors: tensor %s: unknown dtype %s (known: %s)", quote(name), quote(t.DType), dtypeNames())
			}
			if dt.integer {
				p.dtype = dt
			}
		}
		if err := p.check(); err != nil {
			return nil, fmt.Errorf("safetensors: tensor %s: %w", quote(name), err)
		}
		plan = append(plan, p)
	}
	sort.Slice(plan, func(i, j int) bool {
		a, b := plan[i], plan[j]
		return a.dtype.rank > b.dtype.rank || (a.dtype.rank == b.dtype.rank && a.name < b.name)
	})
	var off uint64
	for i := range plan {
		p := &plan[i]
		p.begin = off
		p.end = off + uint64(p.count*p.dtype.size)
		off = p.end
	}
	return plan, nil
}

// check validates the name, shape and values of p and sets p.count.
func (p *planned) check() error {
	if p.name == "" || p.name == metadataKey {
		return fmt.Errorf("a tensor may not be named %q", p.name)
	}
	if !utf8.ValidString(p.name) {
		return fmt.Errorf("name is not valid UTF-8")
	}
	count := 1
	for _, d := range p.t.Shape {
		if d < 0 {
			return fmt.Errorf("shape %v has a negative dim", p.t.Shape)
		}
		if d != 0 && count > math.MaxInt/8/d {
			return fmt.Errorf("shape %v is too large", p.t.Shape)
		}
		count *= d
	}
	p.count = count
	if !p.dtype.integer || p.t.I64 == nil {
		if len(p.t.F64) != count {
			return fmt.Errorf("shape %v needs %d values, F64 holds %d", p.t.Shape, count, len(p.t.F64))
		}
	}
	if !p.dtype.integer {
		return nil
	}
	if p.t.I64 != nil {
		if len(p.t.I64) != count {
			return fmt.Errorf("shape %v needs %d values, I64 holds %d", p.t.Shape, count, len(p.t.I64))
		}
		for i, v := range p.t.I64 {
			if v < p.dtype.min || (v > 0 && uint64(v) > p.dtype.max) {
				return fmt.Errorf("element %d = %d is out of the range of %s", i, v, p.dtype.name)
			}
		}
		return nil
	}
	for i, v := range p.t.F64 {
		if v != math.Trunc(v) || v < float64(p.dtype.min) || v > float64(p.dtype.max) || v >= 1<<63 {
			return fmt.Errorf("element %d = %v is not an integer in the range of %s", i, v, p.dtype.name)
		}
	}
	return nil
}

// encode appends p's data, little-endian, to b.
func (p *planned) encode(b []byte) []byte {
	switch {
	case p.dtype.integer && p.t.I64 != nil:
		for _, v := range p.t.I64 {
			b = p.dtype.appendInt(b, v)
		}
	case p.dtype.integer:
		for _, v := range p.t.F64 {
			b = p.dtype.appendInt(b, int64(v))
		}
	case p.dtype.name == "F32":
		for _, v := range p.t.F64 {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(v)))
		}
	default:
		for _, v := range p.t.F64 {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
	}
	return b
}

// headerJSON renders the header as the reference does: compact JSON,
// "__metadata__" first (keys sorted), then the tensors in file order, then
// spaces up to a multiple of 8 bytes.
func headerJSON(plan []planned, metadata map[string]string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	if len(metadata) > 0 {
		keys := make([]string, 0, len(metadata))
		for k := range metadata {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString(`"__metadata__":{`)
		for i, k := range keys {
			if !utf8.ValidString(k) || !utf8.ValidString(metadata[k]) {
				return nil, fmt.Errorf("safetensors: metadata %s: key and value must be valid UTF-8", quote(k))
			}
			if i > 0 {
				b.WriteByte(',')
			}
			jsonString(&b, k)
			b.WriteByte(':')
			jsonString(&b, metadata[k])
		}
		b.WriteByte('}')
	}
	for i, p := range plan {
		if i > 0 || len(metadata) > 0 {
			b.WriteByte(',')
		}
		jsonString(&b, p.name)
		b.WriteString(`:{"dtype":"` + p.dtype.name + `","shape":[`)
		for j, d := range p.t.Shape {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(d))
		}
		fmt.Fprintf(&b, `],"data_offsets":[%d,%d]}`, p.begin, p.end)
	}
	b.WriteByte('}')
	for b.Len()%8 != 0 {
		b.WriteByte(' ')
	}
	return b.Bytes(), nil
}

// jsonString appends s to b as a JSON string, without the HTML escaping of
// json.Marshal (as serde_json, the reference's encoder, writes it). s must
// be valid UTF-8.
func jsonString(b *bytes.Buffer, s string) {
	e := json.NewEncoder(b)
	e.SetEscapeHTML(false)
	e.Encode(s)             // cannot fail on a string
	b.Truncate(b.Len() - 1) // Encode's newline
}
