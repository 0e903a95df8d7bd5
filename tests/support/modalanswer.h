#pragma once

// Answering the modal dialogs a test opens, and noticing when the window stops turning its event
// loop: a test drives a window action that asks something, answers from inside the dialog's own
// event loop, and asserts afterwards on what the answer recorded.

#include <QApplication>
#include <QDeadlineTimer>
#include <QDialog>
#include <QElapsedTimer>
#include <QList>
#include <QPointer>
#include <QTimer>
#include <QWidget>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <thread>

namespace cs::testing {

// Answers the modal dialogs a test opens, from the event loop the dialog runs: every few
// milliseconds it hands the active modal widget to `answer`, which returns whether it dealt with it
// (closed it, or started something that will). What it saw is for the test to check afterwards.
// Each answer runs from an event of its own, not from the polling timer: an answer that opens
// another dialog (Save in "Unsaved changes", then the save dialog) blocks in that dialog's loop,
// and a timer does not fire again while its own slot is running.
class ModalAnswerer : public QObject {
public:
    explicit ModalAnswerer(std::function<bool(QWidget *)> answer, int intervalMs = 20)
        : m_answer(std::move(answer))
    {
        m_timer.setInterval(intervalMs);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            QWidget *modal = QApplication::activeModalWidget();
            if (!modal || m_answering.contains(modal))
                return;
            m_answering.append(modal);
            QTimer::singleShot(0, this, [this, target = QPointer<QWidget>(modal)] {
                if (target && m_answer(target))
                    ++m_answered;
                m_answering.removeAll(target.data());
                m_answering.removeAll(nullptr);
            });
        });
        m_timer.start();
    }
    int answered() const { return m_answered; }

private:
    std::function<bool(QWidget *)> m_answer;
    QTimer m_timer;
    QList<QWidget *> m_answering; // modals whose answer is running (or queued)
    int m_answered = 0;
};

// Answers the next modal dialog of type `Dialog`: the answer only reads the dialog and closes it.
// A dialog that never appears fails the test within `timeoutMs` instead of hanging it, one left
// open by the answer is closed so the action returns, and after the deadline any other dialog
// that is asking is closed too, so the action under test returns and the test fails.
template <typename Dialog> class ModalAnswer {
public:
    explicit ModalAnswer(std::function<void(Dialog *)> answer, int timeoutMs = 5000)
        : m_answer(std::move(answer))
        , m_deadline(timeoutMs)
        , m_answerer([this](QWidget *modal) { return answerOnce(modal); }, 10)
    {
    }

    // True once the dialog was shown and answered; waits (running events) until then or the deadline.
    bool answered()
    {
        return QTest::qWaitFor([this] { return m_answered || m_deadline.hasExpired(); }, 60000) && m_answered;
    }

private:
    bool answerOnce(QWidget *modal)
    {
        if (m_answered)
            return false;
        if (auto *dialog = qobject_cast<Dialog *>(modal)) {
            m_answered = true;
            m_answer(dialog);
            if (dialog->isVisible())
                dialog->reject();
            return true;
        }
        if (m_deadline.hasExpired()) {
            if (auto *other = qobject_cast<QDialog *>(modal)) {
                other->reject();
                return true;
            }
        }
        return false;
    }

    std::function<void(Dialog *)> m_answer;
    QDeadlineTimer m_deadline;
    bool m_answered = false;
    ModalAnswerer m_answerer; // last: its polling may call answerOnce as soon as it is built
};

// Aborts the test with a message when the main thread stops turning its event loop for `limit`:
// a window blocked for good would otherwise hang the test until ctest kills it, saying nothing.
class EventLoopWatchdog : public QObject {
public:
    explicit EventLoopWatchdog(std::chrono::milliseconds limit)
        : m_limit(limit)
        , m_thread([this] { watch(); })
    {
        m_beat.start();
        m_tick.setInterval(10);
        QObject::connect(&m_tick, &QTimer::timeout, this, [this] {
            const qint64 gap = m_beat.restart();
            m_longestGapMs = std::max(m_longestGapMs, gap);
            m_lastBeat = std::chrono::steady_clock::now().time_since_epoch().count();
        });
        m_lastBeat = std::chrono::steady_clock::now().time_since_epoch().count();
        m_tick.start();
    }
    ~EventLoopWatchdog() override
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        m_thread.join();
    }
    // The longest time between two turns of the event loop while it was watched.
    qint64 longestGapMs() const { return m_longestGapMs; }

private:
    void watch()
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        while (!m_wake.wait_for(lock, std::chrono::milliseconds(100), [this] { return m_stop; })) {
            const auto last = std::chrono::steady_clock::duration(m_lastBeat.load());
            if (std::chrono::steady_clock::now().time_since_epoch() - last > m_limit) {
                std::fprintf(stderr, "FAIL: the event loop has not turned for %lld ms\n",
                             static_cast<long long>(m_limit.count()));
                std::_Exit(3);
            }
        }
    }

    std::chrono::milliseconds m_limit;
    QTimer m_tick;
    QElapsedTimer m_beat;
    qint64 m_longestGapMs = 0;
    std::atomic<std::chrono::steady_clock::rep> m_lastBeat{0};
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace cs::testing
