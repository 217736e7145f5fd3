// State held per open connection (a session, a read buffer), let go when the connection closes:
// memory that follows the load, not a leak.
import { randomBytes } from 'node:crypto';
import { heapStringCost } from './retainers.js';

export function connectionState(bytesPerConnection) {
  let open = 0;
  let opened = 0;
  let stateBytes = 0;
  const length = Math.max(0, 2 * Math.round((bytesPerConnection - 24) / 2));
  const cost = length > 0 ? heapStringCost(length) : 0;
  return {
    /** Counts a new TCP connection (an HTTP keep-alive socket, or the socket under a WebSocket) and gives it its state. */
    attach(socket) {
      open += 1;
      opened += 1;
      if (length > 0) {
        socket.sessionState = randomBytes(length / 2).toString('hex');
        stateBytes += cost;
      }
      socket.once('close', () => {
        open -= 1;
        if (length > 0) {
          socket.sessionState = undefined;
          stateBytes -= cost;
        }
      });
    },
    snapshot: () => ({ open, opened, stateBytes, bytesPerConnection: cost }),
  };
}
