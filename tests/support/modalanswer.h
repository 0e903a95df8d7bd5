#pragma once

// Answers the next modal dialog of a given type from inside the dialog's own event loop, so a test
// can drive a window action that asks something (the export dialog, a question) and then check what
// happened. The answer callback only reads the dialog and closes it; the test asserts afterwards, on
// what the callback recorded. A dialog that never appears fails the test within `timeoutMs` instead
// of hanging it, and one left open by the callback is closed so the action returns.
#include <QApplication>
#include <QDeadlineTimer>
#include <QDialog>
#include <QTimer>
#include <QtTest>

#include <functional>

template <typename Dialog> class ModalAnswer {
public:
    explicit ModalAnswer(std::function<void(Dialog *)> answer, int timeoutMs = 5000)
        : m_answer(std::move(answer))
        , m_deadline(timeoutMs)
    {
        m_poll.setInterval(10);
        QObject::connect(&m_poll, &QTimer::timeout, &m_poll, [this] { poll(); });
        m_poll.start();
    }

    // True once the dialog was shown and answered; waits (running events) until then or the deadline.
    bool answered()
    {
        return QTest::qWaitFor([this] { return m_answered || m_deadline.hasExpired(); }, 60000) && m_answered;
    }

private:
    void poll()
    {
        QWidget *modal = QApplication::activeModalWidget();
        if (auto *dialog = qobject_cast<Dialog *>(modal)) {
            m_poll.stop();
            m_answered = true;
            m_answer(dialog);
            if (dialog->isVisible())
                dialog->reject();
        } else if (m_deadline.hasExpired()) {
            m_poll.stop();
            // Something else is asking: close it so the action under test returns and the test fails.
            if (auto *other = qobject_cast<QDialog *>(modal))
                other->reject();
        }
    }

    std::function<void(Dialog *)> m_answer;
    QDeadlineTimer m_deadline;
    QTimer m_poll;
    bool m_answered = false;
};
