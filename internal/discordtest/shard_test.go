package discordtest

import (
	"strconv"
	"testing"
)

func TestShardOf(t *testing.T) {
	guild := func(k uint64) string { return strconv.FormatUint(k<<22|12345, 10) }
	tests := []struct {
		guild string
		count int
		want  int
	}{
		{guild(262_000_000), 2, 0},
		{guild(262_000_001), 2, 1},
		{guild(262_000_005), 4, 1},
		{guild(262_000_007), 4, 3},
		{guild(262_000_007), 1, 0},
		{"", 4, 0},             // a DM
		{"not a number", 4, 0}, // never from Discord; shard 0 rather than a panic
		{"41943040", 2, 0},     // 10 << 22
		{"46137344", 2, 1},     // 11 << 22
	}
	for _, tt := range tests {
		if got := ShardOf(tt.guild, tt.count); got != tt.want {
			t.Errorf("ShardOf(%q, %d) = %d, want %d", tt.guild, tt.count, got, tt.want)
		}
	}
}
