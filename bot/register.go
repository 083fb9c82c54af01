package bot

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/bwmarrin/discordgo"
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
	if cmds == nil {
		cmds = []*discordgo.ApplicationCommand{} // an empty set is "[]", which removes every command
	}
	path := "/applications/" + url.PathEscape(appID) + "/commands"
	route := "/applications/{app}/commands"
	if guildID != "" {
		path = "/applications/" + url.PathEscape(appID) + "/guilds/" + url.PathEscape(guildID) + "/commands"
		route = "/applications/{app}/guilds/{guild}/commands"
	}
	var stored []*discordgo.ApplicationCommand
	if err := c.do(ctx, http.MethodPut, path, route, cmds, &stored); err != nil {
		return nil, err
	}
	return stored, nil
}
