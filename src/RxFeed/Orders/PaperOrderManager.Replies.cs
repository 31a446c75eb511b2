using RxFeed.Diagnostics;

namespace RxFeed.Orders;

/// <summary>The venue's answers: pending-new → live or rejected, pending-cancel → cancelled.</summary>
public sealed partial class PaperOrderManager
{
    private readonly Queue<(OpenOrder Order, bool IsPlace, VenueReply Reply)> _replies = new();
    private bool _busy;

    private static void OnCancelAnswer(OpenOrder order, VenueReply reply)
    {
        if (reply.Accepted)
        {
            order.State = OrderState.Cancelled;
        }
        else if (!order.PlaceAnswered)
        {
            order.CancelUnknown = true;
        }
    }

    private void Send(OpenOrder order, OrderEvent request)
    {
        bool isPlace = request.Action == OrderAction.Place;

        // A venue that fails instead of answering is read as a refusal, stamped with the manager's latest time. The
        // subscription is not kept: it ends with the answer, and answers after Dispose are ignored.
        _ = _venue.Send(request).Subscribe(
            reply => OnReply(order, isPlace, reply),
            _ => OnReply(order, isPlace, new VenueReply(false, long.MinValue)));
    }

    private void OnReply(OpenOrder order, bool isPlace, VenueReply reply)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _replies.Enqueue((order, isPlace, reply));
            bool outer = BeginStep();
            try
            {
                HandleAnswers(outer);
            }
            finally
            {
                EndStep(outer);
            }
        }
    }

    /// <summary>
    /// Starts a step under the gate. A venue without latency answers inside <see cref="IOrderVenue.Send"/>, that is in
    /// the middle of a reconcile, on the thread that holds the (reentrant) gate: such answers wait in the queue until the
    /// outermost step handles them (<see cref="HandleAnswers"/>), so a reconcile never runs inside another.
    /// </summary>
    private bool BeginStep()
    {
        bool outer = !_busy;
        _busy = true;
        return outer;
    }

    /// <summary>In the outermost step: handles the queued answers in arrival order, and those that come while doing so.</summary>
    private void HandleAnswers(bool outer)
    {
        while (outer && _replies.TryDequeue(out (OpenOrder Order, bool IsPlace, VenueReply Reply) answer))
        {
            if (answer.IsPlace)
            {
                OnPlaceAnswer(answer.Order, answer.Reply);
            }
            else
            {
                OnCancelAnswer(answer.Order, answer.Reply);
            }
        }
    }

    private void EndStep(bool outer)
    {
        if (outer)
        {
            _busy = false;
        }
    }

    private void OnPlaceAnswer(OpenOrder order, VenueReply reply)
    {
        long now = Math.Max(reply.TsNs, _lastTsNs);
        SymbolOrders book = order.Book;
        order.PlaceAnswered = true;
        book.PlaceInFlight[order.Slot] = false;
        if (!reply.Accepted)
        {
            if (order.State == OrderState.PendingNew)
            {
                book.Orders[order.Slot] = null;

                // The refused price waits for the next quote: placing it again at once would repeat refusals as fast as tokens allow.
                book.Desired[order.Slot] = default;
                _rejected++;
                RxFeedMeters.Orders.Add(1, RejectedTag);
                Emit(order.Place with { Action = OrderAction.Rejected, TsNs = now });
            }

            // A refusal of an order already being cancelled changes nothing: its cancel line closed it.
            order.State = OrderState.Rejected;
        }
        else if (order.State == OrderState.PendingNew)
        {
            order.State = OrderState.Live;
        }
        else if (order.State == OrderState.PendingCancel && order.CancelUnknown)
        {
            // The cancel overtook its place and found nothing; the order now rests though no quote wants it.
            order.CancelUnknown = false;
            SendCancel(order, now);
        }

        // The slot is free for a place again: of the latest quote, whatever came while this one was in flight.
        _bucket.Refill(now);
        Reconcile(book, now);
        ArmWake(now);
    }
}
