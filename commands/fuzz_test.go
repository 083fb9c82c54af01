package commands

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// FuzzHandle decodes arbitrary JSON as an interaction, as a transport would,
// and checks the Router answers it without panicking, within Discord's
// limits, with a response that marshals. Seeds are the fixtures in
// testdata. Run longer with: go test ./commands -fuzz FuzzHandle
func FuzzHandle(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Add([]byte(`{"type":2,"data":{"name":"ask","options":[{"name":"question","type":3,"value":["x"]}]}}`))
	f.Add([]byte(`{"type":3,"data":{"custom_id":"/entry/%zz/page/x"},"message":{"flags":64}}`))
	f.Add([]byte(`{"type":4,"data":{"name":"entry","options":[{"name":"name","type":3,"value":null,"focused":true}]}}`))
	f.Add([]byte(`{"type":2,"data":{"name":"Find sources","type":3,"target_id":"1","resolved":{"messages":{"1":{"content":"@everyone <@1> *x*"}}}}}`))
	r := testRouter(f, "corpus")
	f.Fuzz(func(t *testing.T, raw []byte) {
		var i discordgo.Interaction
		if err := json.Unmarshal(raw, &i); err != nil {
			return
		}
		resp := r.Handle(context.Background(), &i)
		checkResponse(t, resp)
	})
}

// FuzzText drives the handlers with arbitrary text where users and clients
// supply it: option values, the message a "Find sources" targets, custom ids
// and select values.
func FuzzText(f *testing.F) {
	f.Add("ask", "Who built the Bell Rock lighthouse?", "/entry/lighthouse/page/1", false)
	f.Add("entry", "lighthouse", "/share/entry/fresnel-lens/page/0", true)
	f.Add("search", "*fog* @everyone <@1>", "/pick/seealso", false)
	f.Add("related", "ligth", "/related/~l6l4ip42g4wzxrwp", false)
	f.Add("random", "\x00\xff", "/entry/%zz", true)
	r := testRouter(f, "corpus")
	user := &discordgo.User{ID: "1"}
	f.Fuzz(func(t *testing.T, command, value, customID string, private bool) {
		opts := []*discordgo.ApplicationCommandInteractionDataOption{
			{Name: "question", Type: discordgo.ApplicationCommandOptionString, Value: value},
			{Name: "name", Type: discordgo.ApplicationCommandOptionString, Value: value, Focused: true},
			{Name: "terms", Type: discordgo.ApplicationCommandOptionString, Value: value},
			{Name: "private", Type: discordgo.ApplicationCommandOptionBoolean, Value: private},
		}
		msg := &discordgo.Message{Content: value}
		inputs := []*discordgo.Interaction{
			{Type: discordgo.InteractionApplicationCommand, User: user,
				Data: discordgo.ApplicationCommandInteractionData{Name: command, Options: opts}},
			{Type: discordgo.InteractionApplicationCommandAutocomplete, User: user,
				Data: discordgo.ApplicationCommandInteractionData{Name: command, Options: opts}},
			{Type: discordgo.InteractionApplicationCommand, User: user,
				Data: discordgo.ApplicationCommandInteractionData{Name: findSourcesName, CommandType: discordgo.MessageApplicationCommand, TargetID: "1",
					Resolved: &discordgo.ApplicationCommandInteractionDataResolved{Messages: map[string]*discordgo.Message{"1": msg}}}},
			{Type: discordgo.InteractionMessageComponent, User: user, Message: &discordgo.Message{Flags: discordgo.MessageFlagsEphemeral},
				Data: discordgo.MessageComponentInteractionData{CustomID: customID, Values: []string{value}}},
		}
		for _, i := range inputs {
			checkResponse(t, r.Handle(context.Background(), i))
		}
	})
}
