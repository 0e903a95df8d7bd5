#include "taskeventreader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string_view>

namespace cs {

namespace {

constexpr int64_t kMaxInt = int64_t(1) << 62; // as the general path's readInt
constexpr int kMaxDepth = 64;

// A minimal pull reader over JSON text, for the shapes of a task event only. Every method returns
// false on anything unexpected, and the caller gives up on the fast path.
class Reader {
public:
    Reader(const char *p, const char *end)
        : m_p(p)
        , m_end(end)
    {
    }
    const char *pos() const { return m_p; }

    void ws()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }
    bool eat(char c)
    {
        ws();
        if (m_p < m_end && *m_p == c) {
            ++m_p;
            return true;
        }
        return false;
    }
    bool peek(char c)
    {
        ws();
        return m_p < m_end && *m_p == c;
    }
    bool literal(const char *word)
    {
        ws();
        const size_t n = std::strlen(word);
        if (size_t(m_end - m_p) < n || std::memcmp(m_p, word, n) != 0)
            return false;
        m_p += n;
        return true;
    }
    // A key without escapes, as a view into the text.
    bool plainString(std::string_view *out)
    {
        ws();
        if (m_p >= m_end || *m_p != '"')
            return false;
        const char *start = ++m_p;
        while (m_p < m_end && *m_p != '"') {
            if (*m_p == '\\' || static_cast<unsigned char>(*m_p) < 0x20)
                return false;
            ++m_p;
        }
        if (m_p >= m_end)
            return false;
        *out = std::string_view(start, size_t(m_p - start));
        ++m_p;
        return true;
    }
    bool skipString()
    {
        ws();
        if (m_p >= m_end || *m_p != '"')
            return false;
        for (++m_p; m_p < m_end && *m_p != '"'; ++m_p)
            if (*m_p == '\\')
                ++m_p;
        if (m_p >= m_end)
            return false;
        ++m_p;
        return true;
    }
    bool number(double *d)
    {
        ws();
        // from_chars also takes "inf" and "nan", which JSON does not have.
        if (m_p >= m_end || !(*m_p == '-' || (*m_p >= '0' && *m_p <= '9')))
            return false;
        const auto r = std::from_chars(m_p, m_end, *d);
        if (r.ec != std::errc() || !std::isfinite(*d))
            return false;
        m_p = r.ptr;
        return true;
    }
    bool integer(int64_t *i)
    {
        ws();
        const auto r = std::from_chars(m_p, m_end, *i);
        if (r.ec != std::errc() || r.ptr == m_p || *i > kMaxInt || *i < -kMaxInt)
            return false;
        if (r.ptr < m_end && (*r.ptr == '.' || *r.ptr == 'e' || *r.ptr == 'E'))
            return false;
        m_p = r.ptr;
        return true;
    }
    // A per-task count, 0 to INT32_MAX.
    bool count(int32_t *c)
    {
        int64_t i = 0;
        if (!integer(&i) || i < 0 || i > INT32_MAX)
            return false;
        *c = int32_t(i);
        return true;
    }
    // Seconds as nanoseconds; null (a task still running) is 0.
    bool seconds(int64_t *ns)
    {
        if (literal("null")) {
            *ns = 0;
            return true;
        }
        double s = 0;
        if (!number(&s) || std::fabs(s) > 9.2e9)
            return false;
        *ns = std::llround(s * 1e9);
        return true;
    }
    bool skipValue(int depth)
    {
        ws();
        if (m_p >= m_end || depth > kMaxDepth)
            return false;
        switch (*m_p) {
        case '"':
            return skipString();
        case '{':
            ++m_p;
            if (eat('}'))
                return true;
            do {
                if (!skipString() || !eat(':') || !skipValue(depth + 1))
                    return false;
            } while (eat(','));
            return eat('}');
        case '[':
            ++m_p;
            if (eat(']'))
                return true;
            do {
                if (!skipValue(depth + 1))
                    return false;
            } while (eat(','));
            return eat(']');
        case 't':
            return literal("true");
        case 'f':
            return literal("false");
        case 'n':
            return literal("null");
        default: {
            double d = 0;
            return number(&d);
        }
        }
    }

    bool phases(TaskEvent *e)
    {
        if (!eat('{'))
            return false;
        if (eat('}'))
            return true;
        do {
            std::string_view key;
            if (!plainString(&key) || !eat(':'))
                return false;
            int phase = 0;
            while (phase < kPhaseCount && key != phaseKey(Phase(phase)))
                ++phase;
            if (!(phase < kPhaseCount ? seconds(&e->phaseNs[size_t(phase)]) : skipValue(0)))
                return false;
        } while (eat(','));
        return eat('}');
    }

    bool event(TaskEvent *e)
    {
        if (!eat('{'))
            return false;
        if (eat('}'))
            return true;
        do {
            std::string_view key;
            if (!plainString(&key) || !eat(':'))
                return false;
            bool ok = false;
            if (key == "task") {
                ok = integer(&e->task);
            } else if (key == "worker") {
                int64_t w = 0;
                ok = integer(&w);
                e->worker = int32_t(w);
            } else if (key == "start_s") {
                ok = seconds(&e->startNs);
            } else if (key == "end_s") {
                ok = seconds(&e->endNs);
            } else if (key == "bytes") {
                ok = integer(&e->bytes);
            } else if (key == "phases") {
                ok = phases(e);
            } else if (key == "cpu_s") {
                ok = seconds(&e->usage.cpuNs) && e->usage.cpuNs >= 0;
            } else if (key == "runq_s") {
                // null: the kernel kept no schedstat
                ok = literal("null") || (seconds(&e->usage.runqNs) && e->usage.runqNs >= 0);
            } else if (key == "vol_cs") {
                ok = count(&e->usage.volCs);
            } else if (key == "invol_cs") {
                ok = count(&e->usage.involCs);
            } else if (key == "minflt") {
                ok = count(&e->usage.minflt);
            } else if (key == "passthrough") {
                e->passthrough = literal("true");
                ok = e->passthrough || literal("false");
            } else {
                ok = skipValue(0); // "region" follows from the task index
            }
            if (!ok)
                return false;
        } while (eat(','));
        // As the general path reads it: the counts of a measured task default to 0.
        if (e->usage.measured()) {
            for (int32_t *c : {&e->usage.volCs, &e->usage.involCs, &e->usage.minflt})
                *c = std::max(*c, 0);
        } else {
            e->usage = TaskUsage{};
        }
        return eat('}');
    }

    bool events(std::vector<TaskEvent> *out)
    {
        if (!eat('['))
            return false;
        if (eat(']'))
            return true;
        do {
            TaskEvent e;
            e.task = -1;
            e.worker = -1;
            if (!event(&e))
                return false;
            out->push_back(e);
        } while (eat(','));
        return eat(']');
    }

private:
    const char *m_p;
    const char *m_end;
};

} // namespace

std::optional<ExtractedTaskEvents> extractTaskEvents(const QByteArray &json)
{
    struct Frame {
        bool isObject;
        bool expectKey;
        std::string_view key; // the object's latest key (empty when escaped)
        qsizetype index; // the array's current element
    };
    ExtractedTaskEvents x;
    const char *const begin = json.constData();
    const char *const end = begin + json.size();
    const char *p = begin;
    const char *copied = begin;
    std::vector<Frame> stack;
    while (p < end) {
        const char c = *p;
        if (c == '{' || c == '[') {
            stack.push_back(Frame{c == '{', true, {}, 0});
            ++p;
        } else if (c == '}' || c == ']') {
            if (stack.empty())
                return std::nullopt;
            stack.pop_back();
            ++p;
        } else if (c == ',') {
            if (!stack.empty()) {
                if (stack.back().isObject)
                    stack.back().expectKey = true;
                else
                    ++stack.back().index;
            }
            ++p;
        } else if (c == '"') {
            const char *start = ++p;
            bool escaped = false;
            for (; p < end && *p != '"'; ++p) {
                if (*p == '\\') {
                    escaped = true;
                    ++p;
                }
            }
            if (p >= end)
                return std::nullopt;
            const std::string_view token(start, size_t(p - start));
            ++p;
            if (stack.empty() || !stack.back().isObject || !stack.back().expectKey)
                continue;
            stack.back().expectKey = false;
            stack.back().key = escaped ? std::string_view() : token;
            // A run's events: root object > its "runs" array > a run object > "task_events".
            if (stack.size() != 3 || stack[0].key != "runs" || stack[1].isObject || token != "task_events" || escaped)
                continue;
            Reader r(p, end);
            if (!r.eat(':') || !r.peek('['))
                return std::nullopt;
            const char *arrayStart = r.pos();
            std::vector<TaskEvent> events;
            if (!r.events(&events))
                return std::nullopt;
            x.rest.append(copied, arrayStart - copied).append("[]");
            copied = p = r.pos();
            x.events[stack[1].index] = std::move(events); // a repeated key: the last wins, as in QJsonObject
        } else {
            ++p;
        }
    }
    if (!stack.empty() || x.events.isEmpty())
        return std::nullopt;
    x.rest.append(copied, end - copied);
    return x;
}

} // namespace cs
