package bot

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// Environment variables of the HTTP transport.
const (
	EnvInteractionsAddr = "INTERACTIONS_ADDR"
	EnvPublicKey        = "DISCORD_PUBLIC_KEY"
	EnvAdminAddr        = "ADMIN_ADDR"
)

// Defaults of the HTTP transport.
const (
	// DefaultDeferAfter is how long an interaction handler may run before
	// the HTTP transport acknowledges with a deferred response and finishes
	// through the webhook. Discord drops answers that take more than 3 s;
	// the margin covers the network between Discord and the replica.
	DefaultDeferAfter = 2 * time.Second
	// DefaultShutdownTimeout bounds how long a graceful shutdown waits for
	// in-flight requests and deferred follow-ups.
	DefaultShutdownTimeout = 15 * time.Second
)

// HTTPConfig configures the HTTP interactions transport.
type HTTPConfig struct {
	// Addr is where Discord's signed POSTs arrive (host:port).
	Addr string
	// AdminAddr, when set, serves /healthz, /readyz and /metrics on a
	// separate listener; otherwise they share Addr.
	AdminAddr string
	// PublicKey is the application's Ed25519 public key from the developer
	// portal, used to verify every request.
	PublicKey ed25519.PublicKey
	// DeferAfter and ShutdownTimeout default to DefaultDeferAfter and
	// DefaultShutdownTimeout when zero.
	DeferAfter      time.Duration
	ShutdownTimeout time.Duration
}

// LoadHTTPConfig reads the HTTP transport's configuration. A non-empty
// addrFlag or adminFlag (from --http and --admin) wins over the environment.
// The public key is required and must be 64 hex digits.
func LoadHTTPConfig(getenv func(string) string, addrFlag, adminFlag string) (HTTPConfig, error) {
	cfg := HTTPConfig{
		Addr:      httpFirstNonEmpty(addrFlag, strings.TrimSpace(getenv(EnvInteractionsAddr))),
		AdminAddr: httpFirstNonEmpty(adminFlag, strings.TrimSpace(getenv(EnvAdminAddr))),
	}
	if cfg.Addr == "" {
		return HTTPConfig{}, fmt.Errorf("the HTTP transport needs an address: --http ADDR or %s", EnvInteractionsAddr)
	}
	if err := httpCheckListenAddr(cfg.Addr); err != nil {
		return HTTPConfig{}, fmt.Errorf("interactions address: %w", err)
	}
	if cfg.AdminAddr != "" {
		if err := httpCheckListenAddr(cfg.AdminAddr); err != nil {
			return HTTPConfig{}, fmt.Errorf("admin address: %w", err)
		}
	}
	key, err := ParsePublicKey(getenv(EnvPublicKey))
	if err != nil {
		return HTTPConfig{}, err
	}
	cfg.PublicKey = key
	return cfg, nil
}

// ParsePublicKey decodes the hex Ed25519 public key shown in Discord's
// developer portal. Its errors never repeat the value.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("%s is required for the HTTP transport (the application's public key from the developer portal)", EnvPublicKey)
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%s is not valid hex: %w", EnvPublicKey, errHTTPMalformedKey)
	}
	if len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%s must be %d hex digits (a %d-byte Ed25519 key), got %d: %w",
			EnvPublicKey, 2*ed25519.PublicKeySize, ed25519.PublicKeySize, len(s), errHTTPMalformedKey)
	}
	return ed25519.PublicKey(b), nil
}

var errHTTPMalformedKey = errors.New("malformed public key")

// httpCheckListenAddr rejects addresses net.Listen would refuse, so a typo is a
// start-up error that names the variable rather than a bind failure.
func httpCheckListenAddr(addr string) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return fmt.Errorf("%q is not host:port: %w", addr, err)
	}
	return nil
}

func httpFirstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func (c HTTPConfig) deferAfter() time.Duration {
	if c.DeferAfter > 0 {
		return c.DeferAfter
	}
	return DefaultDeferAfter
}

func (c HTTPConfig) shutdownTimeout() time.Duration {
	if c.ShutdownTimeout > 0 {
		return c.ShutdownTimeout
	}
	return DefaultShutdownTimeout
}
