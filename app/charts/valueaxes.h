#pragma once

class QValueAxis;

namespace cs {

// Round scales for the value axes of the resource charts.

// Rounds an axis maximum up to 1, 2, 2.5 or 5 times a power of ten.
double niceCeiling(double v);
// Sets range and tick step together. A dynamic-tick axis recomputes its ticks on each change, so
// the range must never meet the old step (a step of 1 us over a range of seconds would make a
// million tick items): ticks stay fixed while both change.
void setRangeAndStep(QValueAxis *axis, double min, double max, double step);
// A range from 0 to a round maximum with at most maxSteps round steps, labelled with the decimals the
// step needs.
void setNiceRange(QValueAxis *axis, double peak, int maxSteps);

} // namespace cs
