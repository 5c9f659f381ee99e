package main

import (
	"fmt"
	"strconv"
)

// flagErr names the flag, its allowed range and the value given.
func flagErr(flag, allowed string, got any) error {
	return fmt.Errorf("--%s must be %s, got %v", flag, allowed, got)
}

func itoa(n int) string { return strconv.Itoa(n) }

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
