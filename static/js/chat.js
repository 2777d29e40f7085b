// The chat page: written by the chat-page work (composer, outbox, live updates).
