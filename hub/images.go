package hub

// HasImages reports whether any message of req has an image part.
func HasImages(req *ChatRequest) bool {
	if req == nil {
		return false
	}
	for i := range req.Messages {
		for j := range req.Messages[i].Content.Parts {
			if req.Messages[i].Content.Parts[j].Type == "image_url" {
				return true
			}
		}
	}
	return false
}
