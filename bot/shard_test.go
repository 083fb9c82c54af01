package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/internal/discordtest"
)

// TestBotShards runs two processes' worth of bots, SHARD_ID 0 and 1 of
// SHARD_COUNT 2, against one local Discord: each identifies with its
// [id, count], and each answers the interactions of its own guilds (and
// shard 0 the DMs), never the other's.
func TestBotShards(t *testing.T) {
	fake := discordtest.New(t, discordtest.Options{})
	type seen struct {
		mu  sync.Mutex
		ids []string
	}
	var got [2]seen
	for shard := range 2 {
		app := &fakeApp{cmds: fakeCommands, handle: func(ctx context.Context, i *discordgo.Interaction) *discordgo.InteractionResponse {
			got[shard].mu.Lock()
			got[shard].ids = append(got[shard].ids, i.ID)
			got[shard].mu.Unlock()
			return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: fmt.Sprintf("shard %d", shard)}}
		}}
		vars := map[string]string{EnvToken: fake.Token, EnvAPIURL: fake.URL,
			EnvShardID: strconv.Itoa(shard), EnvShardCount: "2"}
		cfg, err := LoadConfig(func(k string) string { return vars[k] })
		if err != nil {
			t.Fatal(err)
		}
		logs := &syncBuffer{}
		b, err := New(cfg, app, slog.New(slog.NewTextHandler(logs, nil)), nil)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- b.Run(ctx) }()
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("shard %d: %v", shard, err)
			}
		})
		select {
		case <-b.Ready():
		case err := <-done:
			t.Fatalf("shard %d stopped: %v\n%s", shard, err, logs)
		case <-guard(t).Done():
			t.Fatalf("shard %d not ready:\n%s", shard, logs)
		}
		if err := fake.WaitHeartbeat(guard(t), shard+1); err != nil {
			t.Fatal(err)
		}
	}

	// Each connection identified with its own shard.
	identified := map[[2]int]bool{}
	for _, f := range fake.Frames() {
		if f.Op != discordtest.OpIdentify {
			continue
		}
		var id struct {
			Shard [2]int `json:"shard"`
		}
		if err := json.Unmarshal(f.Data, &id); err != nil {
			t.Fatal(err)
		}
		identified[id.Shard] = true
	}
	if !identified[[2]int{0, 2}] || !identified[[2]int{1, 2}] || len(identified) != 2 {
		t.Errorf("IDENTIFY shards %v, want [0 2] and [1 2]", identified)
	}

	guild := func(k uint64) string { return strconv.FormatUint(k<<22, 10) }
	cases := []struct {
		name  string
		guild string // "" for a DM
		shard int
	}{
		{"guild of shard 0", guild(262_000_000), 0},
		{"guild of shard 1", guild(262_000_001), 1},
		{"another guild of shard 1", guild(262_000_003), 1},
		{"a DM", "", 0},
	}
	want := [2][]string{}
	for _, c := range cases {
		i := discordtest.Slash("echo", discordtest.String("text", "hi"))
		if c.guild == "" {
			i.User = &discordgo.User{ID: discordtest.UserID}
		} else {
			i.GuildID = c.guild
		}
		sent, err := fake.SendInteraction(i)
		if err != nil {
			t.Fatal(err)
		}
		cb, err := fake.WaitCallback(guard(t), sent)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if cb.Message == nil || cb.Message.Content != fmt.Sprintf("shard %d", c.shard) {
			t.Errorf("%s answered by %+v, want shard %d", c.name, cb.Message, c.shard)
		}
		want[c.shard] = append(want[c.shard], sent.ID)
	}
	for shard := range 2 {
		got[shard].mu.Lock()
		if strings.Join(got[shard].ids, ",") != strings.Join(want[shard], ",") {
			t.Errorf("shard %d handled %v, want %v", shard, got[shard].ids, want[shard])
		}
		got[shard].mu.Unlock()
	}
}
