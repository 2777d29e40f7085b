// The chat list: written by the chat-list work (folders, live updates).
