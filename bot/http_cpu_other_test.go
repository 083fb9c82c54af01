//go:build !unix

package bot

import "time"

// httpCPUTime is not measured on this platform.
func httpCPUTime() time.Duration { return 0 }
