package bot

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"

	"github.com/bwmarrin/discordgo"

	"github.com/footnote-bot/footnote/commands"
)

// RegisterCommands replaces the application's whole command set with cmds in
// one bulk overwrite: PUT /applications/{app}/commands, or
// /applications/{app}/guilds/{guild}/commands when guildID is set (guild
// commands update at once; global ones can take a while to reach every
// client). It needs no gateway, so CI/CD can run it before a deployment.
// It returns the commands as the API stored them.
func RegisterCommands(ctx context.Context, c *RESTClient, appID, guildID string, cmds []*discordgo.ApplicationCommand) ([]*discordgo.ApplicationCommand, error) {
	if appID == "" {
		return nil, errors.New("registering commands needs the application id")
	}
	if c.Token == "" {
		return nil, errors.New("registering commands needs the bot token")
	}
	// An empty set is "[]", which removes every command.
	body, err := commands.EncodeCommands(cmds, "")
	if err != nil {
		return nil, err
	}
	path := "/applications/" + url.PathEscape(appID) + "/commands"
	route := "/applications/{app}/commands"
	if guildID != "" {
		path = "/applications/" + url.PathEscape(appID) + "/guilds/" + url.PathEscape(guildID) + "/commands"
		route = "/applications/{app}/guilds/{guild}/commands"
	}
	var stored []*discordgo.ApplicationCommand
	if err := c.do(ctx, http.MethodPut, path, route, json.RawMessage(body), &stored); err != nil {
		return nil, err
	}
	return stored, nil
}
