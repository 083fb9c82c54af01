package commands

import (
	"regexp"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestCommands checks the command set against Discord's rules for
// application commands, and that every command routes to a handler.
func TestCommands(t *testing.T) {
	r := testRouter(t, "seed")
	cmds := r.Commands()
	chatName := regexp.MustCompile(`^[-_\p{Ll}\p{N}]{1,32}$`)
	names := map[string]bool{}
	for _, c := range cmds {
		key := string(rune('0'+c.Type)) + c.Name
		if names[key] {
			t.Errorf("duplicate command %q", c.Name)
		}
		names[key] = true
		switch c.Type {
		case discordgo.ChatApplicationCommand:
			if !chatName.MatchString(c.Name) {
				t.Errorf("bad chat command name %q", c.Name)
			}
			if n := textLen(c.Description); n < 1 || n > 100 {
				t.Errorf("/%s description length %d", c.Name, n)
			}
			if len(c.Options) > 25 {
				t.Errorf("/%s has %d options", c.Name, len(c.Options))
			}
			required := true
			for _, o := range c.Options {
				if !chatName.MatchString(o.Name) || textLen(o.Description) < 1 || textLen(o.Description) > 100 {
					t.Errorf("/%s option %q: bad name or description", c.Name, o.Name)
				}
				if o.Required && !required {
					t.Errorf("/%s: required option %q after an optional one", c.Name, o.Name)
				}
				required = o.Required
				if o.MaxLength > 6000 {
					t.Errorf("/%s %s max_length %d", c.Name, o.Name, o.MaxLength)
				}
			}
			if _, _, ok := r.commands.match("/" + c.Name); !ok {
				t.Errorf("/%s has no handler", c.Name)
			}
			for _, o := range c.Options {
				if o.Autocomplete {
					if _, _, ok := r.autocomplete.match("/" + c.Name); !ok {
						t.Errorf("/%s %s autocompletes without a handler", c.Name, o.Name)
					}
				}
			}
		case discordgo.MessageApplicationCommand:
			if c.Description != "" || len(c.Options) != 0 {
				t.Errorf("message command %q has a description or options", c.Name)
			}
			if n := textLen(c.Name); n < 1 || n > 32 {
				t.Errorf("message command name length %d", n)
			}
			if _, _, ok := r.commands.match("/message/" + c.Name); !ok {
				t.Errorf("message command %q has no handler", c.Name)
			}
		default:
			t.Errorf("unexpected command type %d", c.Type)
		}
	}
	for _, want := range []string{"1ask", "1entry", "1related", "1search", "1random", "1about", "3" + findSourcesName} {
		if !names[want] {
			t.Errorf("missing command %q", want[1:])
		}
	}
}
