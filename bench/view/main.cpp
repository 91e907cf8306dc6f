// SPDX-License-Identifier: Apache-2.0
// spacetime-bench-view: GUI-thread cost of the real conversation view at 10k–200k rows.
//   QT_QPA_PLATFORM=offscreen spacetime-bench-view [--sizes 10000,100000,200000] [--reps N]
//
// The view is MainWindow's: MessageView (with MessageDelegate) on a chat::MessageFilterModel
// over a chat::MessageModel holding realistic messages (varying length, five senders who talk
// in runs, gaps so that day separators occur). For each size it measures, from the start of
// the action until the view's next paint has finished:
//   first paint  a new view over the filled model: show() → first paint done
//   live message one message appended at the bottom of the pinned view
//   live at cap  the same with the model at its cap: the oldest row goes at the same time
//   scroll step  one single step up (what a wheel notch or the arrow key does)
//   jump oldest  scrollToTop() from the bottom
// Wall time and the GUI thread's CPU time (CLOCK_THREAD_CPUTIME_ID; less sensitive to other
// load on the machine) are printed as median and p95 over the repetitions.

#include "messageview.h"

#include "chat/messagebatch.h"
#include "chat/messagefiltermodel.h"
#include "chat/messagemodel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <memory>

namespace {

qint64 threadCpuNs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// Counts finished paints of the viewport.
class BenchView : public MessageView {
public:
    int paints = 0;

protected:
    void paintEvent(QPaintEvent *event) override {
        MessageView::paintEvent(event);
        ++paints;
    }
};

struct Sample {
    double wallMs;
    double cpuMs;
};

// Runs `action`, then the event loop until the view has painted once more.
template <typename F>
Sample measure(BenchView &view, F action) {
    QCoreApplication::processEvents(); // nothing left over from before
    // (a wake-up now and then, so that the timeout below is seen)
    QTimer wake;
    wake.start(1000);
    const int before = view.paints;
    QElapsedTimer wall;
    wall.start();
    const qint64 cpu0 = threadCpuNs();
    action();
    while (view.paints == before) {
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        if (wall.elapsed() > 120000) {
            QTextStream(stderr) << "spacetime-bench-view: no paint within 120 s\n";
            std::exit(1);
        }
    }
    return {wall.nsecsElapsed() / 1e6, (threadCpuNs() - cpu0) / 1e6};
}

double percentile(QList<double> v, double p) {
    std::sort(v.begin(), v.end());
    const qsizetype i =
        qBound<qsizetype>(0, qsizetype(p * double(v.size() - 1) + 0.5), v.size() - 1);
    return v[i];
}

void report(QTextStream &out, int rows, const char *what, const QList<Sample> &samples) {
    QList<double> wall, cpu;
    for (const Sample &s : samples) {
        wall.append(s.wallMs);
        cpu.append(s.cpuMs);
    }
    out << QStringLiteral(
               "%1  %2  wall median %3 ms  p95 %4 ms   cpu median %5 ms  p95 %6 ms  (n=%7)\n")
               .arg(rows, 7)
               .arg(QString::fromLatin1(what), -13)
               .arg(percentile(wall, 0.5), 8, 'f', 2)
               .arg(percentile(wall, 0.95), 8, 'f', 2)
               .arg(percentile(cpu, 0.5), 8, 'f', 2)
               .arg(percentile(cpu, 0.95), 8, 'f', 2)
               .arg(samples.size());
    out.flush();
}

struct Corpus {
    QList<stdb::Identity> senders;
    QByteArray buffer;
    QList<QByteArray> words;
};

stdb::Identity identityOf(int i) {
    QString hex = QStringLiteral("%1").arg(i + 1, 64, 16, QLatin1Char('0'));
    return stdb::Identity::fromHex(hex);
}

QByteArray sentence(QRandomGenerator &rng, const QList<QByteArray> &words) {
    // Mostly short chat lines, some paragraphs, a few long posts with line breaks and links.
    const int kind = rng.bounded(100);
    const int n = kind < 70   ? 2 + rng.bounded(12)
                  : kind < 95 ? 15 + rng.bounded(45)
                              : 60 + rng.bounded(200);
    QByteArray s;
    for (int i = 0; i < n; ++i) {
        if (i)
            s += (kind >= 95 && rng.bounded(25) == 0) ? '\n' : ' ';
        if (rng.bounded(150) == 0)
            s += "https://example.org/some/path?q=" + QByteArray::number(rng.bounded(1000));
        else
            s += words[rng.bounded(int(words.size()))];
    }
    return s;
}

chat::MessageBatch makeBatch(int count, qint64 &clockUs, QRandomGenerator &rng, int &sender,
                             const QList<stdb::Identity> &senders, const QList<QByteArray> &words) {
    QByteArray buffer;
    QList<std::pair<qsizetype, qsizetype>> spans;
    QList<std::pair<qint64, int>> meta;
    for (int i = 0; i < count; ++i) {
        // Runs of one sender; pauses from seconds to hours, so groups and days change.
        if (rng.bounded(100) < 35)
            sender = rng.bounded(int(senders.size()));
        const int gap = rng.bounded(100);
        clockUs += gap < 80   ? qint64(rng.bounded(90)) * 1000000
                   : gap < 97 ? qint64(rng.bounded(1800)) * 1000000
                              : qint64(rng.bounded(6 * 3600)) * 1000000;
        const QByteArray text = sentence(rng, words);
        spans.append({buffer.size(), text.size()});
        buffer += text;
        meta.append({clockUs, sender});
    }
    chat::MessageBatch batch;
    batch.reserve(count);
    for (int i = 0; i < count; ++i)
        batch.add(senders[meta[i].second], stdb::Timestamp::fromMicros(meta[i].first),
                  QByteArrayView(buffer).sliced(spans[i].first, spans[i].second), buffer);
    return batch;
}

int argValue(const QStringList &args, const QString &name, int fallback) {
    const qsizetype i = args.indexOf(name);
    return (i >= 0 && i + 1 < args.size()) ? args[i + 1].toInt() : fallback;
}

} // namespace

int main(int argc, char **argv) {
    QApplication app(argc, argv);
    QTextStream out(stdout);
    const QStringList args = app.arguments();
    if (args.contains(QStringLiteral("--help"))) {
        out << "usage: spacetime-bench-view [--sizes 10000,100000,200000] [--reps N]\n";
        return 0;
    }
    QList<int> sizes{10000, 100000, 200000};
    const qsizetype si = args.indexOf(QStringLiteral("--sizes"));
    if (si >= 0 && si + 1 < args.size()) {
        sizes.clear();
        for (const QString &s : args[si + 1].split(QLatin1Char(','))) {
            bool ok = false;
            const int n = s.toInt(&ok);
            if (!ok || n <= 0) {
                QTextStream(stderr) << "spacetime-bench-view: bad size '" << s << "'\n";
                return 2;
            }
            sizes.append(n);
        }
    }
    const int reps = qMax(1, argValue(args, QStringLiteral("--reps"), 15));
    const int paintReps = qMax(1, argValue(args, QStringLiteral("--paint-reps"), 5));

    QList<QByteArray> words;
    for (const char *w : {"the",  "a",        "message",     "server",       "table",  "hello",
                          "okay", "I",        "think",       "we",           "should", "ship",
                          "it",   "tomorrow", "reducer",     "subscription", "lunch?", "yes",
                          "no",   "maybe",    "SpacetimeDB", "is",           "fast",   "but",
                          "the",  "view",     "was",         "slow",         "at",     "200k",
                          "rows", "🙂",     "über",        "naïve",        "déjà",   "vu",
                          "and",  "then",     "some",        "more",         "words"})
        words.append(QByteArray(w));
    QList<stdb::Identity> senders;
    for (int i = 0; i < 5; ++i)
        senders.append(identityOf(i));

    out << "spacetime-bench-view: MessageView + MessageDelegate over MessageFilterModel, "
        << "offscreen 800x600, " << QGuiApplication::platformName() << "\n";
    out << "figures: start of the action until the next paint of the view has finished\n";
    for (const int rows : sizes) {
        QRandomGenerator rng(42);
        qint64 clockUs = 1767225600LL * 1000000; // 2026-01-01
        int sender = 0;
        chat::MessageModel model;
        model.setOwnIdentity(senders[0]);
        model.resetMessages(makeBatch(rows, clockUs, rng, sender, senders, words));
        chat::MessageFilterModel filter;
        filter.setSourceModel(&model);

        QList<Sample> first;
        for (int r = 0; r < paintReps; ++r) {
            auto view = std::make_unique<BenchView>();
            view->resize(800, 600);
            view->setModel(&filter);
            view->setHistoryModel(&model);
            first.append(measure(*view, [&] { view->show(); }));
        }
        report(out, rows, "first paint", first);

        BenchView view;
        view.resize(800, 600);
        view.setModel(&filter);
        view.setHistoryModel(&model);
        measure(view, [&] { view.show(); });

        QList<Sample> live;
        for (int r = 0; r < reps; ++r) {
            chat::MessageBatch one = makeBatch(1, clockUs, rng, sender, senders, words);
            live.append(measure(view, [&] { model.addMessages(std::move(one)); }));
        }
        report(out, rows, "live message", live);

        // At the cap (ChatClient's default keeps 200k): each new message drops the oldest.
        model.setMaxMessages(model.confirmedCount());
        QList<Sample> capped;
        for (int r = 0; r < reps; ++r) {
            chat::MessageBatch one = makeBatch(1, clockUs, rng, sender, senders, words);
            capped.append(measure(view, [&] { model.addMessages(std::move(one)); }));
        }
        report(out, rows, "live at cap", capped);

        QList<Sample> scroll;
        for (int r = 0; r < reps; ++r)
            scroll.append(measure(view, [&] {
                view.verticalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepSub);
            }));
        report(out, rows, "scroll step", scroll);

        QList<Sample> top;
        for (int r = 0; r < reps; ++r) {
            measure(view, [&] { view.scrollToLatest(); });
            top.append(measure(view, [&] { view.scrollToTop(); }));
        }
        report(out, rows, "jump oldest", top);
        if (view.isPinned() || view.verticalScrollBar()->value() != 0)
            QTextStream(stderr) << "spacetime-bench-view: the view did not reach the top\n";
    }
    return 0;
}
