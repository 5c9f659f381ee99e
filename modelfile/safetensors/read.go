package safetensors

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
	"sort"
)

// File is the content of a safetensors file.
type File struct {
	// Tensors maps each name to its tensor.
	Tensors map[string]Tensor
	// Metadata is the header's "__metadata__" (empty, not nil, when the
	// file has none).
	Metadata map[string]string
}

// Names returns the tensor names, sorted.
func (f *File) Names() []string {
	names := make([]string, 0, len(f.Tensors))
	for n := range f.Tensors {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ReadFile reads the safetensors file at path; errors name it, e.g.
//
//	safetensors: model.safetensors: tensor "0.weight": shape [16 1 3 3] (F32) needs 576 bytes, data_offsets [0 512] give 512
func ReadFile(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("safetensors: %s: not a regular file", path)
	}
	return read(path, f, st.Size())
}

// Read reads a safetensors file of size bytes from r (an *os.File, a
// *bytes.Reader, …). It checks the whole header against size before it
// allocates anything for the data; then it reads the tensors one at a time
// through one reused buffer and converts them to float64 (see Tensor).
func Read(r io.ReaderAt, size int64) (*File, error) {
	return read("", r, size)
}

func read(name string, r io.ReaderAt, size int64) (*File, error) {
	fail := func(format string, a ...any) error {
		if name != "" {
			return fmt.Errorf("safetensors: %s: "+format, append([]any{name}, a...)...)
		}
		return fmt.Errorf("safetensors: "+format, a...)
	}
	if size < 8 {
		return nil, fail("file has %d bytes, fewer than the 8 of the header length", size)
	}
	var nb [8]byte
	if err := readAt(r, nb[:], 0); err != nil {
		return nil, fail("reading the header length: %v", err)
	}
	n := binary.LittleEndian.Uint64(nb[:])
	switch {
	case n > MaxHeaderSize:
		return nil, fail("header length %d exceeds the limit of %d bytes", n, MaxHeaderSize)
	case n > uint64(size-8):
		return nil, fail("header length %d exceeds the %d bytes after it", n, size-8)
	}
	h := make([]byte, n)
	if err := readAt(r, h, 8); err != nil {
		return nil, fail("reading the %d-byte header: %v", n, err)
	}
	hd, err := parseHeader(h)
	if err != nil {
		return nil, fail("%v", err)
	}
	dataStart := 8 + int64(n)
	if err := validate(hd.entries, uint64(size-dataStart)); err != nil {
		return nil, fail("%v", err)
	}
	f := &File{Tensors: make(map[string]Tensor, len(hd.entries)), Metadata: hd.metadata}
	var buf []byte
	for _, e := range hd.entries {
		nbytes := int(e.end - e.begin) // validated: ≤ size
		if cap(buf) < nbytes {
			buf = make([]byte, nbytes)
		}
		buf = buf[:nbytes]
		if err := readAt(r, buf, dataStart+int64(e.begin)); err != nil {
			return nil, fail("tensor %s: reading data_offsets [%d %d]: %v", quote(e.name), e.begin, e.end, err)
		}
		t, err := decode(e, buf)
		if err != nil {
			return nil, fail("tensor %s: %v", quote(e.name), err)
		}
		f.Tensors[e.name] = t
	}
	return f, nil
}

// validate checks each entry's byte count against its dtype and shape, then
// that the entries, sorted by offset, tile the data section of dataLen
// bytes exactly, as the reference implementation requires. It sorts
// entries by offset.
func validate(entries []entry, dataLen uint64) error {
	sort.Slice(entries, func(i, j int) bool { return entries[i].name < entries[j].name })
	for _, e := range entries {
		if e.end < e.begin {
			return fmt.Errorf("tensor %s: data_offsets [%d %d] end before they begin", quote(e.name), e.begin, e.end)
		}
		if e.end > dataLen {
			return fmt.Errorf("tensor %s: data_offsets [%d %d] run past the %d-byte data section", quote(e.name), e.begin, e.end, dataLen)
		}
		need, ok := byteCount(e.shape, e.dtype.size)
		if !ok {
			return fmt.Errorf("tensor %s: shape %v (%s) is too large: its byte count overflows", quote(e.name), e.shape, e.dtype.name)
		}
		if need != e.end-e.begin {
			return fmt.Errorf("tensor %s: shape %v (%s) needs %d bytes, data_offsets [%d %d] give %d",
				quote(e.name), e.shape, e.dtype.name, need, e.begin, e.end, e.end-e.begin)
		}
	}
	sort.SliceStable(entries, func(i, j int) bool {
		a, b := entries[i], entries[j]
		return a.begin < b.begin || (a.begin == b.begin && a.end < b.end)
	})
	var pos uint64
	for i, e := range entries {
		switch {
		case e.begin < pos:
			return fmt.Errorf("tensor %s: data_offsets [%d %d] overlap tensor %s, which ends at %d",
				quote(e.name), e.begin, e.end, quote(entries[i-1].name), pos)
		case e.begin > pos:
			return fmt.Errorf("data section bytes [%d %d) belong to no tensor (the next, %s, begins at %d)",
				pos, e.begin, quote(e.name), e.begin)
		}
		pos = e.end
	}
	if pos != dataLen {
		return fmt.Errorf("data section has %d bytes but its tensors end at %d", dataLen, pos)
	}
	return nil
}

// byteCount returns size × product(shape), or ok=false if it overflows a
// uint64 or an int.
func byteCount(shape []int, size int) (uint64, bool) {
	n := uint64(size)
	for _, d := range shape {
		hi, lo := bits.Mul64(n, uint64(d))
		if hi != 0 {
			return 0, false
		}
		n = lo
	}
	return n, n <= math.MaxInt
}

// decode converts the raw little-endian bytes of e into a Tensor.
func decode(e entry, b []byte) (Tensor, error) {
	count := len(b) / e.dtype.size
	t := Tensor{DType: e.dtype.name, Shape: e.shape, F64: make([]float64, count)}
	if t.Shape == nil {
		t.Shape = []int{}
	}
	if !e.dtype.integer {
		for i := range t.F64 {
			t.F64[i] = e.dtype.decodeFloat(b, i)
		}
		return t, nil
	}
	t.I64 = make([]int64, count)
	for i := range t.I64 {
		v, ok := e.dtype.decodeInt(b, i)
		if !ok {
			return Tensor{}, fmt.Errorf("element %d is not a valid %s value (bytes % x)", i, e.dtype.name, b[i*e.dtype.size:(i+1)*e.dtype.size])
		}
		t.I64[i], t.F64[i] = v, float64(v)
	}
	return t, nil
}

// readAt fills b from r at off; a short read is an error even when r
// reports none.
func readAt(r io.ReaderAt, b []byte, off int64) error {
	n, err := r.ReadAt(b, off)
	if n == len(b) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		return fmt.Errorf("file ends after %d of %d bytes at offset %d", n, len(b), off)
	}
	return err
}
