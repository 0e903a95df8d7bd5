#pragma once

namespace cs {

// Makes the window's whole cost visible: registers the calling (GUI) thread as the observer, and
// every thread of QThreadPool::globalInstance() as its helpers. Qt's raster engine splits large image
// conversions and scalings across that pool during paints, and the window frees finished runs there,
// so their CPU is watching's too. The pool's threads are created here, once, and kept from expiring,
// so the set stays the one registered: nothing in the app may call the global pool's waitForDone,
// which ends its threads.
void watchFromThisThread();

} // namespace cs
