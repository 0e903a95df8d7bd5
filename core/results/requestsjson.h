#pragma once

#include "profiler/requestevents.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>

#include <vector>

namespace cs {

// A run's "requests" array in the results document: one object per attempt of a request a store made
// to a remote server, times in seconds (start_s from the start of the copy, the others from the
// attempt's start, as libcurl reports them).
void appendRequests(QByteArray &out, const std::vector<TaskRequest> &requests, int indent);
// Reads it back; throws what the other readers of the document throw, naming the JSON pointer.
std::vector<TaskRequest> readRequests(const QJsonValue &value, const QString &pointer);

// "GET", "HEAD", "PUT", "POST", "DELETE".
const char *requestMethodName(RequestTiming::Method method);

} // namespace cs
