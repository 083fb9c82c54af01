package commands_test

import (
	"context"
	"fmt"
	"log"

	"github.com/bwmarrin/discordgo"
	"github.com/footnote-bot/footnote/commands"
	"github.com/footnote-bot/footnote/knowledge"
)

// A transport hands each interaction to the Router and sends back what it
// returns; Commands is the set to register.
func Example() {
	ix, _, err := knowledge.Open("", knowledge.LoadOptions{}) // the embedded seed corpus
	if err != nil {
		log.Fatal(err)
	}
	r := commands.New(knowledge.NewStore(ix), commands.Options{Version: "example"})

	for _, c := range r.Commands() {
		fmt.Println(c.Type, c.Name)
	}

	resp := r.Handle(context.Background(), &discordgo.Interaction{
		Type:   discordgo.InteractionApplicationCommand,
		Member: &discordgo.Member{User: &discordgo.User{ID: "1"}},
		Data: discordgo.ApplicationCommandInteractionData{
			Name: "entry",
			Options: []*discordgo.ApplicationCommandInteractionDataOption{
				{Name: "name", Type: discordgo.ApplicationCommandOptionString, Value: "aid-soviet"},
			},
		},
	})
	fmt.Println(resp.Type, resp.Data.Embeds[0].Title, resp.Data.AllowedMentions.Parse)
	// Output:
	// 1 ask
	// 1 entry
	// 1 related
	// 1 search
	// 1 random
	// 1 about
	// 3 Find sources
	// 1 corpus
	// 1 settings
	// 1 quiz
	// 1 leaderboard
	// 1 review
	// 4 AID, SOVIET []
}
