package data

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// IDX bounds: a header asking for more is refused before anything is
// allocated.
const (
	// MaxIDXBytes bounds the data of one IDX file (2 GiB; MNIST's training
	// images are 47 MB).
	MaxIDXBytes = 1 << 31
	// MaxIDXDims bounds the number of dimensions of an IDX file.
	MaxIDXDims = 8
)

// IDX is an array read from an IDX file, the format of MNIST and
// Fashion-MNIST (LeCun et al., http://yann.lecun.com/exdb/mnist/): a
// big-endian magic 0x0000TTNN, where TT is the element type (0x08,
// unsigned byte, the only type read here) and NN the number of dimensions,
// then NN big-endian u32 dimension sizes, then the elements in row-major
// order. Images are 0x00000803 (count × rows × cols), labels 0x00000801.
type IDX struct {
	Dims []int  // dimension sizes, outermost first
	Data []byte // product(Dims) elements, row-major
}

// idxTypes names the IDX element types, for error messages.
var idxTypes = map[byte]string{
	0x08: "unsigned byte", 0x09: "signed byte", 0x0b: "int16",
	0x0c: "int32", 0x0d: "float32", 0x0e: "float64",
}

// ReadIDX reads the IDX file at path, gzipped or not (gzip is recognised
// by its magic bytes 1f 8b, not by the file name). See ParseIDX.
func ReadIDX(path string) (*IDX, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	size := int64(-1)
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		size = st.Size()
	}
	return parseIDX(f, path, size)
}

// ParseIDX reads an IDX array of unsigned bytes from r, gzipped or not;
// name is used in errors. The header is checked before anything is
// allocated: the type must be 0x08, the dimensions 1 to MaxIDXDims, their
// product at most MaxIDXBytes. The data is then read in bounded chunks, so
// a header that claims more than the stream holds fails with "ends after
// … bytes" having allocated at most about twice what the stream held.
// Bytes after the data are an error.
func ParseIDX(r io.Reader, name string) (*IDX, error) {
	return parseIDX(r, name, -1)
}

// parseIDX is ParseIDX where size, when not -1, is the byte size of r,
// against which an uncompressed header is checked up front.
func parseIDX(r io.Reader, name string, size int64) (*IDX, error) {
	fail := func(format string, a ...any) error {
		return fmt.Errorf("data: %s: "+format, append([]any{name}, a...)...)
	}
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fail("the gzip header is truncated")
		} else if err != nil {
			return nil, fail("%v", err) // "gzip: invalid header", …
		}
		defer zr.Close()
		br, size = bufio.NewReader(zr), -1
	}
	var magic [4]byte
	if n, err := io.ReadFull(br, magic[:]); err != nil {
		return nil, fail("%s", shortIDX("magic number", n, 4, err))
	}
	typ, ndims := magic[2], int(magic[3])
	switch {
	case magic[0] != 0 || magic[1] != 0:
		return nil, fail("not an IDX file: magic number % x does not start with 00 00", magic)
	case typ != 0x08:
		if t, ok := idxTypes[typ]; ok {
			return nil, fail("IDX element type 0x%02x (%s) is not supported, only 0x08 (unsigned byte)", typ, t)
		}
		return nil, fail("unknown IDX element type 0x%02x (magic % x)", typ, magic)
	case ndims == 0:
		return nil, fail("IDX header has 0 dimensions")
	case ndims > MaxIDXDims:
		return nil, fail("IDX header has %d dimensions, more than %d", ndims, MaxIDXDims)
	}
	var raw [4 * MaxIDXDims]byte
	if n, err := io.ReadFull(br, raw[:4*ndims]); err != nil {
		return nil, fail("%s", shortIDX(fmt.Sprintf("%d dimension sizes", ndims), n, 4*ndims, err))
	}
	dims := make([]int, ndims)
	need := 1
	for i := range dims {
		dims[i] = int(binary.BigEndian.Uint32(raw[4*i:]))
		if dims[i] != 0 && need > MaxIDXBytes/dims[i] {
			return nil, fail("IDX dimensions %v hold more than %d bytes", readDims(raw[:4*ndims]), MaxIDXBytes)
		}
		need *= dims[i]
	}
	if have := size - int64(4+4*ndims); size >= 0 && int64(need) != have {
		return nil, fail("IDX dimensions %v need %d bytes of data, the file holds %d", dims, need, have)
	}
	data, err := readChunks(br, need)
	if err != nil {
		return nil, fail("IDX dimensions %v: %s", dims, shortIDX("data", len(data), need, err))
	}
	switch _, err := br.ReadByte(); {
	case err == nil:
		return nil, fail("IDX dimensions %v: the file holds more than their %d bytes of data", dims, need)
	case errors.Is(err, io.ErrUnexpectedEOF): // bytes after a gzip member that are not one
		return nil, fail("after the data: the gzip stream ends inside a member")
	case !errors.Is(err, io.EOF):
		return nil, fail("after the data: %v", err) // a gzip checksum error surfaces at the end
	}
	return &IDX{Dims: dims, Data: data}, nil
}

// readChunks reads exactly n bytes from r into a buffer that grows with
// what actually arrives (doubling, from 1 MiB), never to n up front.
func readChunks(r io.Reader, n int) ([]byte, error) {
	buf := make([]byte, 0, min(n, 1<<20))
	for len(buf) < n {
		chunk := min(n-len(buf), max(len(buf), 1<<20))
		buf = slices.Grow(buf, chunk)
		got, err := io.ReadFull(r, buf[len(buf):len(buf)+chunk])
		buf = buf[:len(buf)+got]
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// readDims renders raw big-endian u32 dimension sizes (before they are
// known to fit an int).
func readDims(raw []byte) []uint32 {
	d := make([]uint32, len(raw)/4)
	for i := range d {
		d[i] = binary.BigEndian.Uint32(raw[4*i:])
	}
	return d
}

// shortIDX describes a read of what that got n of want bytes.
func shortIDX(what string, n, want int, err error) string {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Sprintf("file ends after %d of the %d bytes of the %s", n, want, what)
	}
	return fmt.Sprintf("reading the %s: %v", what, err)
}
