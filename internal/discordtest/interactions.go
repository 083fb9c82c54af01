package discordtest

import (
	"encoding/json"
	"fmt"

	"github.com/bwmarrin/discordgo"
)

// Ids of the place and person interactions come from, unless set.
const (
	GuildID   = "1100000000000000100"
	ChannelID = "1100000000000000300"
	UserID    = "1100000000000000500"
)

// SendInteraction fills in what Discord would (id, token, application id,
// version, guild, channel, member, and the command id for registered
// commands), remembers the interaction so that its callback and webhook
// work, and dispatches it as INTERACTION_CREATE on the shard its guild
// belongs to (shard 0 for a DM; see ShardOf). It returns the interaction
// as sent; use its ID and Token to wait for the answer.
func (s *Server) SendInteraction(i *discordgo.Interaction) (*discordgo.Interaction, error) {
	if i == nil || i.Type == 0 {
		return nil, fmt.Errorf("discordtest: an interaction needs a type")
	}
	cp := *i
	s.mu.Lock()
	defer s.mu.Unlock()
	if cp.ID == "" {
		cp.ID = s.newID()
	}
	if cp.Token == "" {
		cp.Token = "aW50ZXJhY3Rpb246" + cp.ID + ":" + randomHex(24)
	}
	cp.AppID = s.AppID
	if cp.Version == 0 {
		cp.Version = 1
	}
	if cp.GuildID == "" && cp.User == nil {
		cp.GuildID = GuildID
	}
	if cp.ChannelID == "" {
		cp.ChannelID = ChannelID
	}
	if cp.GuildID != "" && cp.Member == nil {
		cp.Member = &discordgo.Member{User: &discordgo.User{ID: UserID, Username: "reader", Discriminator: "0"}, GuildID: cp.GuildID}
	}
	if cp.Locale == "" {
		cp.Locale = discordgo.EnglishUS
	}
	if d, ok := cp.Data.(discordgo.ApplicationCommandInteractionData); ok && d.ID == "" {
		for _, guild := range []string{cp.GuildID, ""} {
			for _, c := range s.commands[guild] {
				typ := c.Type
				if typ == 0 {
					typ = discordgo.ChatApplicationCommand
				}
				if c.Name == d.Name && typ == d.CommandType && d.ID == "" {
					d.ID = c.ID
				}
			}
		}
		cp.Data = d
	}
	if _, dup := s.byID[cp.ID]; dup {
		return nil, fmt.Errorf("discordtest: interaction %s sent twice", cp.ID)
	}
	it := &interaction{id: cp.ID, token: cp.Token, typ: cp.Type, followups: map[string]*discordgo.Message{}}
	s.byID[cp.ID] = it
	s.byToken[cp.Token] = it

	// Send exactly what a client would decode: marshal, then check that it
	// decodes as an interaction.
	raw, err := json.Marshal(&cp)
	if err != nil {
		return nil, fmt.Errorf("discordtest: encoding interaction: %w", err)
	}
	var check discordgo.Interaction
	if err := json.Unmarshal(raw, &check); err != nil {
		return nil, fmt.Errorf("discordtest: interaction does not decode: %w", err)
	}
	if err := s.dispatchShardLocked(s.shardOfLocked(cp.GuildID), "INTERACTION_CREATE", json.RawMessage(raw)); err != nil && err != errNoConnection {
		return nil, err
	}
	return &cp, nil
}

// Slash returns a slash command interaction.
func Slash(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
	return &discordgo.Interaction{
		Type: discordgo.InteractionApplicationCommand,
		Data: discordgo.ApplicationCommandInteractionData{Name: name, CommandType: discordgo.ChatApplicationCommand, Options: opts},
	}
}

// Autocomplete returns an autocomplete interaction for a slash command;
// exactly one of opts should be Focused.
func Autocomplete(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
	i := Slash(name, opts...)
	i.Type = discordgo.InteractionApplicationCommandAutocomplete
	return i
}

// MessageCommand returns a message context-menu command on a message with
// the given text.
func MessageCommand(name, messageID, content string) *discordgo.Interaction {
	msg := &discordgo.Message{ID: messageID, ChannelID: ChannelID, Content: content,
		Author: &discordgo.User{ID: UserID, Username: "reader", Discriminator: "0"}}
	return &discordgo.Interaction{
		Type: discordgo.InteractionApplicationCommand,
		Data: discordgo.ApplicationCommandInteractionData{
			Name: name, CommandType: discordgo.MessageApplicationCommand, TargetID: messageID,
			Resolved: &discordgo.ApplicationCommandInteractionDataResolved{Messages: map[string]*discordgo.Message{messageID: msg}},
		},
	}
}

// Button returns a button click on a message (which may be nil).
func Button(customID string, msg *discordgo.Message) *discordgo.Interaction {
	return &discordgo.Interaction{
		Type:    discordgo.InteractionMessageComponent,
		Data:    discordgo.MessageComponentInteractionData{CustomID: customID, ComponentType: discordgo.ButtonComponent},
		Message: msg,
	}
}

// Select returns a string select menu choice on a message.
func Select(customID string, msg *discordgo.Message, values ...string) *discordgo.Interaction {
	return &discordgo.Interaction{
		Type:    discordgo.InteractionMessageComponent,
		Data:    discordgo.MessageComponentInteractionData{CustomID: customID, ComponentType: discordgo.SelectMenuComponent, Values: values},
		Message: msg,
	}
}

// String returns a string option.
func String(name, value string) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: value}
}

// Bool returns a boolean option.
func Bool(name string, value bool) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionBoolean, Value: value}
}

// Int returns an integer option (Discord sends integers as JSON numbers).
func Int(name string, value int) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionInteger, Value: float64(value)}
}

// Focused returns the string option being typed in an autocomplete.
func Focused(name, value string) *discordgo.ApplicationCommandInteractionDataOption {
	o := String(name, value)
	o.Focused = true
	return o
}
