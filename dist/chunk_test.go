package dist

import (
	"errors"
	"reflect"
	"testing"
)

func TestChunks(t *testing.T) {
	for _, c := range []struct {
		n, most int
		want    [][2]int
	}{
		{0, 4, nil},
		{3, 4, [][2]int{{0, 3}}},
		{4, 4, [][2]int{{0, 4}}},
		{9, 4, [][2]int{{0, 4}, {4, 4}, {8, 1}}},
		{5, maxCount, [][2]int{{0, 5}}},
	} {
		var got [][2]int
		err := chunks(c.n, c.most, func(off, count int) error {
			got = append(got, [2]int{off, count})
			return nil
		})
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("chunks(%d, %d): got %v, %v; want %v", c.n, c.most, got, err, c.want)
		}
	}
	stop := errors.New("stop")
	calls := 0
	err := chunks(10, 3, func(off, count int) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("chunks did not stop at the first error: %v after %d calls", err, calls)
	}
}
