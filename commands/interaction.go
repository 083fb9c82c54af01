package commands

import (
	"github.com/bwmarrin/discordgo"
)

// Safe accessors for interaction data. discordgo's own helpers
// (ApplicationCommandData, StringValue, ...) panic on unexpected shapes;
// these return ok=false instead, so malformed interactions get an answer.

// commandData returns the data of a command or autocomplete interaction.
func commandData(i *discordgo.Interaction) (discordgo.ApplicationCommandInteractionData, bool) {
	switch d := i.Data.(type) {
	case discordgo.ApplicationCommandInteractionData:
		return d, true
	case *discordgo.ApplicationCommandInteractionData:
		if d != nil {
			return *d, true
		}
	}
	return discordgo.ApplicationCommandInteractionData{}, false
}

// componentData returns the data of a component interaction.
func componentData(i *discordgo.Interaction) (discordgo.MessageComponentInteractionData, bool) {
	switch d := i.Data.(type) {
	case discordgo.MessageComponentInteractionData:
		return d, true
	case *discordgo.MessageComponentInteractionData:
		if d != nil {
			return *d, true
		}
	}
	return discordgo.MessageComponentInteractionData{}, false
}

// option finds a top-level option by name.
func option(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) *discordgo.ApplicationCommandInteractionDataOption {
	for _, o := range opts {
		if o != nil && o.Name == name {
			return o
		}
	}
	return nil
}

// stringOption returns a string option's value.
func stringOption(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) (string, bool) {
	if o := option(opts, name); o != nil {
		s, ok := o.Value.(string)
		return s, ok
	}
	return "", false
}

// boolOption returns a boolean option's value, false when absent.
func boolOption(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) bool {
	if o := option(opts, name); o != nil {
		b, _ := o.Value.(bool)
		return b
	}
	return false
}

// focusedOption returns the option being typed in an autocomplete
// interaction.
func focusedOption(opts []*discordgo.ApplicationCommandInteractionDataOption) (*discordgo.ApplicationCommandInteractionDataOption, bool) {
	for _, o := range opts {
		if o != nil && o.Focused {
			return o, true
		}
	}
	return nil, false
}

// userID is the id of the user who caused the interaction: i.Member.User in
// a guild, i.User in a DM, "" when neither is present.
func userID(i *discordgo.Interaction) string {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User.ID
	}
	if i.User != nil {
		return i.User.ID
	}
	return ""
}

// displayName is how the user who caused the interaction is shown: server
// nickname, else global name, else username; "" when unknown.
func displayName(i *discordgo.Interaction) string {
	var u *discordgo.User
	if i.Member != nil {
		if i.Member.Nick != "" {
			return i.Member.Nick
		}
		u = i.Member.User
	}
	if u == nil {
		u = i.User
	}
	if u == nil {
		return ""
	}
	if u.GlobalName != "" {
		return u.GlobalName
	}
	return u.Username
}

// messageOwner is the id of the user whose interaction produced msg, from
// interaction_metadata, else the deprecated interaction field; "" when
// unknown.
func messageOwner(msg *discordgo.Message) string {
	if msg == nil {
		return ""
	}
	if m := msg.InteractionMetadata; m != nil && m.User != nil && m.User.ID != "" {
		return m.User.ID
	}
	if m := msg.Interaction; m != nil {
		if m.User != nil && m.User.ID != "" {
			return m.User.ID
		}
		if m.Member != nil && m.Member.User != nil {
			return m.Member.User.ID
		}
	}
	return ""
}

// mayUpdate reports whether a click on i.Message may edit that message in
// place (response type 7). Paging edits the message only when the clicker
// owns it: it is ephemeral (only its owner sees it and can click), or its
// interaction metadata names the clicker. Otherwise, including when either
// user is unknown, the click is answered with a new ephemeral message so one
// reader cannot page a message the whole channel reads.
func mayUpdate(i *discordgo.Interaction) bool {
	if i.Message == nil {
		return false
	}
	if i.Message.Flags&discordgo.MessageFlagsEphemeral != 0 {
		return true
	}
	clicker := userID(i)
	return clicker != "" && clicker == messageOwner(i.Message)
}
