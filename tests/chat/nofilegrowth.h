// SPDX-License-Identifier: Apache-2.0
// A full disk for tests, whoever runs them (root ignores directory modes, not resource limits).

#pragma once

#include <csignal>
#include <sys/resource.h>

// While it lives, no file of this process can grow (RLIMIT_FSIZE 0, SIGXFSZ ignored): writes
// fail with EFBIG, as on a full disk, whoever runs the test.
class NoFileGrowth {
public:
    NoFileGrowth() {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        if (getrlimit(RLIMIT_FSIZE, &m_old) != 0 || sigaction(SIGXFSZ, &ignore, &m_oldAction) != 0)
            return;
        rlimit none = m_old;
        none.rlim_cur = 0;
        m_active = setrlimit(RLIMIT_FSIZE, &none) == 0;
    }
    ~NoFileGrowth() {
        if (m_active)
            setrlimit(RLIMIT_FSIZE, &m_old);
        sigaction(SIGXFSZ, &m_oldAction, nullptr);
    }
    NoFileGrowth(const NoFileGrowth &) = delete;
    NoFileGrowth &operator=(const NoFileGrowth &) = delete;
    bool active() const { return m_active; }

private:
    rlimit m_old{};
    struct sigaction m_oldAction {};
    bool m_active = false;
};
