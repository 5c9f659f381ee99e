package data

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// idxBytes assembles an unsigned-byte IDX file.
func idxBytes(dims []uint32, data []byte) []byte {
	b := []byte{0, 0, 0x08, byte(len(dims))}
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, data...)
}

func gzipped(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tinyMNIST is the hand-made content of testdata/mnist: 3 "images" of 2×3
// pixels (0, 15, 30, …, 255) labelled 7, 0, 9 for "test" (gzipped), and 2
// images of 2×3 labelled 1, 2 for "train" (not gzipped).
func tinyMNIST() map[string][]byte {
	px := make([]byte, 18)
	for i := range px {
		px[i] = byte(15 * i)
	}
	return map[string][]byte{
		"t10k-images-idx3-ubyte":  idxBytes([]uint32{3, 2, 3}, px),
		"t10k-labels-idx1-ubyte":  idxBytes([]uint32{3}, []byte{7, 0, 9}),
		"train-images-idx3-ubyte": idxBytes([]uint32{2, 2, 3}, px[6:]),
		"train-labels-idx1-ubyte": idxBytes([]uint32{2}, []byte{1, 2}),
	}
}

// TestTinyMNISTUpToDate checks testdata/mnist against tinyMNIST; with
// -update it rewrites the files (the t10k ones gzipped).
func TestTinyMNISTUpToDate(t *testing.T) {
	for name, want := range tinyMNIST() {
		path := filepath.Join("testdata", "mnist", name)
		if strings.HasPrefix(name, "t10k") {
			path += ".gz"
		}
		if *update {
			b := want
			if strings.HasSuffix(path, ".gz") {
				b = gzipped(t, want)
			}
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(path, ".gz") {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if b, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(b, want) {
			t.Errorf("%s is out of date; run go test ./data -run TestTinyMNISTUpToDate -update", path)
		}
	}
}

func TestReadIDX(t *testing.T) {
	for _, c := range []struct {
		file string
		dims []int
		data []byte
	}{
		{"t10k-images-idx3-ubyte.gz", []int{3, 2, 3}, tinyMNIST()["t10k-images-idx3-ubyte"][16:]},
		{"t10k-labels-idx1-ubyte.gz", []int{3}, []byte{7, 0, 9}},
		{"train-images-idx3-ubyte", []int{2, 2, 3}, tinyMNIST()["train-images-idx3-ubyte"][16:]},
		{"train-labels-idx1-ubyte", []int{2}, []byte{1, 2}},
	} {
		t.Run(c.file, func(t *testing.T) {
			x, err := ReadIDX(filepath.Join("testdata", "mnist", c.file))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(x.Dims, c.dims) || !bytes.Equal(x.Data, c.data) {
				t.Errorf("got %v % x, want %v % x", x.Dims, x.Data, c.dims, c.data)
			}
		})
	}
}

// TestParseIDXHostile feeds bad headers and streams, plain and gzipped.
func TestParseIDXHostile(t *testing.T) {
	ok := idxBytes([]uint32{2, 2}, []byte{1, 2, 3, 4})
	badSum := gzipped(t, ok)
	badSum[len(badSum)-8] ^= 0xff // CRC-32 of the gzip trailer
	cases := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "file ends after 0 of the 4 bytes of the magic number"},
		{"short magic", []byte{0, 0, 8}, "file ends after 3 of the 4 bytes of the magic number"},
		{"bad magic", []byte{1, 0, 8, 1, 0, 0, 0, 0}, "not an IDX file: magic number 01 00 08 01 does not start with 00 00"},
		{"text file", []byte("label,p0\n"), "not an IDX file: magic number 6c 61 62 65"},
		{"float type", []byte{0, 0, 0x0d, 1, 0, 0, 0, 0}, "IDX element type 0x0d (float32) is not supported, only 0x08 (unsigned byte)"},
		{"unknown type", []byte{0, 0, 0x42, 1, 0, 0, 0, 0}, "unknown IDX element type 0x42 (magic 00 00 42 01)"},
		{"zero dims", []byte{0, 0, 8, 0}, "IDX header has 0 dimensions"},
		{"too many dims", []byte{0, 0, 8, 9}, "IDX header has 9 dimensions, more than 8"},
		{"255 dims", []byte{0, 0, 8, 255}, "IDX header has 255 dimensions, more than 8"},
		{"short dims", []byte{0, 0, 8, 3, 0, 0, 0, 1, 0}, "file ends after 5 of the 12 bytes of the 3 dimension sizes"},
		{"product overflow", idxBytes([]uint32{0xffffffff, 0xffffffff, 0xffffffff}, nil), "IDX dimensions [4294967295 4294967295 4294967295] hold more than 2147483648 bytes"},
		{"over the bound", idxBytes([]uint32{2, 1 << 30, 2}, nil), "IDX dimensions [2 1073741824 2] hold more than 2147483648 bytes"},
		{"short data", idxBytes([]uint32{60000, 28, 28}, []byte{1, 2, 3}), "IDX dimensions [60000 28 28]: file ends after 3 of the 47040000 bytes of the data"},
		{"at the bound, no data", idxBytes([]uint32{1 << 31}, nil), "IDX dimensions [2147483648]: file ends after 0 of the 2147483648 bytes"},
		{"trailing data", idxBytes([]uint32{2}, []byte{1, 2, 3}), "IDX dimensions [2]: the file holds more than their 2 bytes of data"},
		{"gzip garbage", []byte{0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, "data: bad.idx: gzip: invalid header"},
		{"gzip short header", []byte{0x1f, 0x8b, 8, 0}, "the gzip header is truncated"},
		{"gzip truncated", gzipped(t, ok)[:20], "file ends after"},
		{"gzip short data", gzipped(t, idxBytes([]uint32{100, 28, 28}, []byte{1})), "IDX dimensions [100 28 28]: file ends after 1 of the 78400 bytes of the data"},
		{"gzip bad checksum", badSum, "after the data: gzip: invalid checksum"},
		{"gzip then junk", append(gzipped(t, ok), bytes.Repeat([]byte{'x'}, 20)...), "after the data: gzip: invalid header"},
		{"gzip trailing data", gzipped(t, append(slices.Clone(ok), 9)), "the file holds more than their 4 bytes of data"},
		{"gzip then a byte", append(gzipped(t, ok), 'x'), "after the data: the gzip stream ends inside a member"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, err := ParseIDX(bytes.NewReader(c.in), "bad.idx")
			if err == nil {
				t.Fatalf("parsed %v, want error %q", x.Dims, c.want)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "data: bad.idx: ") || !strings.Contains(msg, c.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q\nwant one line starting with \"data: bad.idx: \" holding %q", msg, c.want)
			}
		})
	}
}

// TestParseIDXAllocatesLittle checks that a header claiming the maximum
// of 2 GiB, followed by a short stream, costs what the stream holds, not
// what the header claims.
func TestParseIDXAllocatesLittle(t *testing.T) {
	in := gzipped(t, idxBytes([]uint32{1 << 15, 1 << 16}, make([]byte, 3<<20)))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := ParseIDX(bytes.NewReader(in), "big.gz")
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "file ends after 3145728 of the 2147483648 bytes") {
		t.Fatalf("error %v", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 16<<20 {
		t.Errorf("allocated %d MiB for a 3 MiB stream", got>>20)
	}
}

// TestReadIDXFileSize checks that an uncompressed file's size is checked
// against its header before the data is read.
func TestReadIDXFileSize(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		b    []byte
		want string
	}{
		{"short", idxBytes([]uint32{10000, 28, 28}, []byte{1, 2}), "IDX dimensions [10000 28 28] need 7840000 bytes of data, the file holds 2"},
		{"long", idxBytes([]uint32{1}, []byte{1, 2}), "IDX dimensions [1] need 1 bytes of data, the file holds 2"},
	} {
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, c.b, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadIDX(path)
		if err == nil || err.Error() != "data: "+path+": "+c.want {
			t.Errorf("%s: error %v\nwant %s", c.name, err, c.want)
		}
	}
	_, err := ReadIDX(filepath.Join(dir, "missing"))
	if err == nil || !strings.Contains(err.Error(), "missing: no such file") {
		t.Errorf("missing: error %v", err)
	}
}

// FuzzReadIDX feeds arbitrary bytes to ParseIDX (seeds:
// testdata/fuzz/FuzzReadIDX). It must never panic, and what it accepts
// must hold product(Dims) bytes and, for a plain file, re-encode to the
// input.
func FuzzReadIDX(f *testing.F) {
	f.Add(idxBytes([]uint32{2, 2}, []byte{1, 2, 3, 4}))
	f.Fuzz(func(t *testing.T, b []byte) {
		x, err := ParseIDX(bytes.NewReader(b), "fuzz")
		if err != nil {
			return
		}
		n := 1
		dims := make([]uint32, len(x.Dims))
		for i, d := range x.Dims {
			n *= d
			dims[i] = uint32(d)
		}
		if len(x.Data) != n {
			t.Fatalf("dims %v with %d bytes", x.Dims, len(x.Data))
		}
		if len(b) > 0 && b[0] != 0x1f && !bytes.Equal(idxBytes(dims, x.Data), b) {
			t.Fatalf("re-encoding differs from the input")
		}
	})
}
