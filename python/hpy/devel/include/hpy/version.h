/*
 * Version of the HPy API these headers implement. hpy-rs tracks the API and
 * the binary interface of HPy 0.9.0, so code that compares HPY_VERSION sees
 * the release it was written for.
 */
#ifndef HPY_VERSION_H
#define HPY_VERSION_H

#define HPY_VERSION "0.9.0"
#define HPY_GIT_REVISION "hpy-rs"

#endif /* HPY_VERSION_H */
