/*
 * phone.cc - the C interface of phone.h over libphonenumber.
 *
 * PhoneNumberUtil::GetInstance() is the library's thread-safe singleton;
 * its logger is replaced once by one that writes nothing (the default
 * prints parse failures, and a failure may quote the number). No C++
 * exception leaves this file: any is answered as "kept as typed".
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "core/phone.h"

#include <cstring>
#include <mutex>
#include <string>

#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumberutil.h>

using i18n::phonenumbers::NullLogger;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace
{

std::once_flag quiet_once;

const PhoneNumberUtil &
util()
{
    PhoneNumberUtil *u = PhoneNumberUtil::GetInstance();
    std::call_once(quiet_once, [u] { u->SetLogger(new NullLogger()); });
    return *u;
}

/* text without leading and trailing ASCII blanks, into out; -1 if it
 * does not fit */
int
keep(const char *text, char *out, size_t size)
{
    size_t b = 0, e = std::strlen(text);
    while (b < e && (text[b] == ' ' || text[b] == '\t')) {
        b++;
    }
    while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\t')) {
        e--;
    }
    if (e - b + 1 > size) {
        out[0] = '\0';
        return -1;
    }
    std::memcpy(out, text + b, e - b);
    out[e - b] = '\0';
    return 0;
}

/* s into out when it fits (1), else keep(text) */
int
put(const std::string &s, const char *text, char *out, size_t size)
{
    if (s.size() + 1 > size) {
        return keep(text, out, size);
    }
    std::memcpy(out, s.data(), s.size());
    out[s.size()] = '\0';
    return 1;
}

} // namespace

extern "C" int
phone_e164(const char *text, const char *region, char *out, size_t size)
{
    if (size == 0) {
        return -1;
    }
    if (text == nullptr) {
        out[0] = '\0';
        return 0;
    }
    try {
        const PhoneNumberUtil &u = util();
        std::string reg = region != nullptr && phone_region_known(region)
                              ? std::string(region)
                              : std::string("ZZ");
        PhoneNumber n;
        if (u.Parse(text, reg, &n) == PhoneNumberUtil::NO_PARSING_ERROR &&
            u.IsPossibleNumberWithReason(n) == PhoneNumberUtil::IS_POSSIBLE) {
            std::string e164;
            u.Format(n, PhoneNumberUtil::E164, &e164);
            return put(e164, text, out, size);
        }
    } catch (...) {
        /* kept as typed */
    }
    return keep(text, out, size);
}

extern "C" int
phone_region_known(const char *region)
{
    if (region == nullptr || std::strlen(region) != 2) {
        return 0;
    }
    try {
        /* a region without data answers 0 */
        return util().GetCountryCodeForRegion(region) != 0;
    } catch (...) {
        return 0;
    }
}

extern "C" const char *
phone_region_or(const char *country, const char *fallback)
{
    return phone_region_known(country) ? country : fallback;
}

extern "C" void
phone_display(const char *stored, char *out, size_t size)
{
    if (size == 0) {
        return;
    }
    if (stored == nullptr) {
        out[0] = '\0';
        return;
    }
    try {
        const PhoneNumberUtil &u = util();
        PhoneNumber n;
        if (stored[0] == '+' &&
            u.Parse(stored, "ZZ", &n) == PhoneNumberUtil::NO_PARSING_ERROR) {
            std::string s;
            u.Format(n, PhoneNumberUtil::INTERNATIONAL, &s);
            if (put(s, stored, out, size) == 1) {
                return;
            }
        }
    } catch (...) {
        /* as it is */
    }
    if (keep(stored, out, size) != 0) {
        out[0] = '\0';
    }
}
