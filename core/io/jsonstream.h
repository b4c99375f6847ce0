// SPDX-License-Identifier: MIT
// Private to the Chrome JSON export: the buffered writer it streams the trace through.
#pragma once

#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

namespace interleave::core::detail {

/// A buffered JSON writer: the trace is written as it is walked, never held as a document.
class JsonStream
{
public:
    explicit JsonStream(QIODevice &out)
        : m_out(out)
    {
        m_buf.reserve(kFlushAt + 4096);
    }

    bool ok() const { return m_ok; }
    bool flush()
    {
        if (m_ok && !m_buf.empty())
            m_ok = m_out.write(m_buf.data(), qint64(m_buf.size())) == qint64(m_buf.size());
        m_buf.clear();
        return m_ok;
    }

    JsonStream &raw(std::string_view s)
    {
        m_buf.append(s);
        if (m_buf.size() >= kFlushAt)
            flush();
        return *this;
    }
    JsonStream &integer(int64_t v)
    {
        char tmp[24];
        const auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
        return raw(std::string_view(tmp, size_t(r.ptr - tmp)));
    }
    JsonStream &number(double v)
    {
        if (!std::isfinite(v))
            return raw("null");
        char tmp[32];
        const auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
        return raw(std::string_view(tmp, size_t(r.ptr - tmp)));
    }
    /// ns as µs with three decimals, exactly (no rounding through a double).
    JsonStream &micros(int64_t ns)
    {
        if (ns < 0) {
            raw("-");
            ns = ns == INT64_MIN ? INT64_MAX : -ns;
        }
        integer(ns / 1000);
        const auto frac = int(ns % 1000);
        const char tail[5] = {'.', char('0' + frac / 100), char('0' + frac / 10 % 10), char('0' + frac % 10), 0};
        return raw(std::string_view(tail, 4));
    }
    /// A JSON string; invalid UTF-8 becomes U+FFFD so the file always parses.
    JsonStream &string(std::string_view s)
    {
        m_buf.push_back('"');
        size_t i = 0;
        while (i < s.size()) {
            const auto c = uint8_t(s[i]);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                m_buf.push_back(char(c));
                ++i;
            } else if (c < 0x80) {
                switch (c) {
                case '"':
                    m_buf.append("\\\"");
                    break;
                case '\\':
                    m_buf.append("\\\\");
                    break;
                case '\n':
                    m_buf.append("\\n");
                    break;
                case '\t':
                    m_buf.append("\\t");
                    break;
                case '\r':
                    m_buf.append("\\r");
                    break;
                default: {
                    static const char hex[] = "0123456789abcdef";
                    const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                    m_buf.append(esc, 6);
                }
                }
                ++i;
            } else {
                const size_t n = utf8Length(s, i);
                if (n == 0) {
                    m_buf.append("\xEF\xBF\xBD");
                    ++i;
                } else {
                    m_buf.append(s.substr(i, n));
                    i += n;
                }
            }
        }
        m_buf.push_back('"');
        if (m_buf.size() >= kFlushAt)
            flush();
        return *this;
    }
    JsonStream &key(std::string_view k)
    {
        string(k);
        return raw(":");
    }
    /// A small Qt JSON value (meta, params): written through QJsonDocument, which is fine at this size.
    JsonStream &value(const QJsonValue &v)
    {
        if (v.isObject())
            return raw(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact).toStdString());
        if (v.isArray())
            return raw(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact).toStdString());
        if (v.isString())
            return string(v.toString().toUtf8().toStdString());
        if (v.isBool())
            return raw(v.toBool() ? "true" : "false");
        if (v.isDouble())
            return number(v.toDouble());
        return raw("null");
    }

    /// Bytes of the valid UTF-8 sequence starting at s[i]; 0 if there is none.
    static size_t utf8Length(std::string_view s, size_t i)
    {
        const auto c = uint8_t(s[i]);
        size_t n = 0;
        uint32_t cp = 0;
        if ((c & 0xE0) == 0xC0) {
            n = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 4;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (i + n > s.size())
            return 0;
        for (size_t k = 1; k < n; ++k) {
            const auto cc = uint8_t(s[i + k]);
            if ((cc & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (cc & 0x3F);
        }
        static constexpr uint32_t minimum[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < minimum[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        return n;
    }

private:
    static constexpr size_t kFlushAt = 1 << 20;
    QIODevice &m_out;
    std::string m_buf;
    bool m_ok = true;
};

} // namespace interleave::core::detail
