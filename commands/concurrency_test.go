package commands

import (
	"context"
	"sync"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func slashInteraction(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
	return &discordgo.Interaction{
		Type:   discordgo.InteractionApplicationCommand,
		Member: &discordgo.Member{User: &discordgo.User{ID: "1"}},
		Data:   discordgo.ApplicationCommandInteractionData{Name: name, Options: opts},
	}
}

func strOpt(name, value string) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: value}
}

// TestConcurrentHandle runs interactions from many goroutines at once; run
// with -race it checks the Router (its random source included) is safe for
// concurrent use.
func TestConcurrentHandle(t *testing.T) {
	r := testRouter(t, "corpus")
	inputs := []*discordgo.Interaction{
		slashInteraction("random"),
		slashInteraction("ask", strOpt("question", "Who built the Bell Rock lighthouse?")),
		slashInteraction("entry", strOpt("name", "lighthouse")),
		slashInteraction("search", strOpt("terms", "fog bell")),
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 20; k++ {
				if err := validateResponse(r.Handle(context.Background(), inputs[(g+k)%len(inputs)])); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func BenchmarkHandleAsk(b *testing.B) {
	r := testRouter(b, "corpus")
	i := slashInteraction("ask", strOpt("question", "When did Augustin Fresnel present his lens?"))
	for b.Loop() {
		r.Handle(context.Background(), i)
	}
}

func BenchmarkHandleEntryPage(b *testing.B) {
	r := testRouter(b, "corpus")
	i := &discordgo.Interaction{
		Type: discordgo.InteractionMessageComponent, User: &discordgo.User{ID: "1"},
		Data: discordgo.MessageComponentInteractionData{CustomID: "/entry/lighthouse/page/1"},
	}
	for b.Loop() {
		r.Handle(context.Background(), i)
	}
}
