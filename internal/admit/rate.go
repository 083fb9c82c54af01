package admit

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Rate is a token bucket's size and refill: N requests at once, and N more
// every Per. The zero Rate means no limit.
type Rate struct {
	N   int
	Per time.Duration
}

// Unlimited reports whether r sets no limit.
func (r Rate) Unlimited() bool { return r.N <= 0 || r.Per <= 0 }

// String writes r as ParseRate reads it.
func (r Rate) String() string {
	if r.Unlimited() {
		return "off"
	}
	for _, u := range rateUnits {
		if r.Per == u.d {
			return fmt.Sprintf("%d/%s", r.N, u.name)
		}
	}
	return fmt.Sprintf("%d/%s", r.N, r.Per)
}

var rateUnits = []struct {
	name string
	d    time.Duration
}{{"s", time.Second}, {"min", time.Minute}, {"h", time.Hour}}

// ParseRate reads a rate written "N/UNIT" ("10/min", "2/s", "100/h") or
// "N/DURATION" ("5/30s"), or "off" (or "0") for no limit.
func ParseRate(s string) (Rate, error) {
	s = strings.TrimSpace(s)
	if s == "off" || s == "0" {
		return Rate{}, nil
	}
	count, per, ok := strings.Cut(s, "/")
	n, err := strconv.Atoi(strings.TrimSpace(count))
	if !ok || err != nil || n < 1 {
		return Rate{}, fmt.Errorf("%q is not a rate: want N/UNIT such as 10/min, 2/s or 5/30s, or off", s)
	}
	per = strings.TrimSpace(per)
	for _, u := range rateUnits {
		if per == u.name {
			return Rate{N: n, Per: u.d}, nil
		}
	}
	d, err := time.ParseDuration(per)
	if err != nil || d <= 0 {
		return Rate{}, fmt.Errorf("%q is not a rate: want N/UNIT such as 10/min, 2/s or 5/30s, or off", s)
	}
	return Rate{N: n, Per: d}, nil
}
