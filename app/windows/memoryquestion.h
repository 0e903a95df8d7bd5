#pragma once

#include "scenario/scenario.h"

class QWidget;

namespace cs {

// Before the window starts `runs` of `scenario`: true when they fit in the memory available now, or
// when the user, asked with both figures, chose to run them anyway. The question defaults to not
// running, as the command line refuses such a scenario unless given --allow-large.
// Without a user to ask (the window run from the command line), `answer` gives the choice instead.
enum class MemoryAnswer { Ask, RunAnyway, Refuse };
bool confirmMemoryFor(QWidget *parent, const Scenario &scenario, const QList<RunSpec> &runs,
                      MemoryAnswer answer = MemoryAnswer::Ask);

} // namespace cs
